#include "devices/Pairing.h"

#include "crypto/Hmac.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "crypto/Sodium.h"
#include "devices/MemberChain.h"
#include "identity/Validate.h"

#include "json/CanonicalJson.h"
#include <QUrl>
#include <QUrlQuery>
#include <QUuid>

namespace uw {

namespace {

const QString kCodeSub = QStringLiteral("pairing");
const QString kDocSub = QStringLiteral("pairing-doc");

QString codeHash(const QString& code)
{
    return Sha256::hashHex(code.toUtf8());
}

/// HMAC-SHA-256 keyed by the one-time code over the fields joined by '|'.
QString auth(const QString& code, const QStringList& fields)
{
    return toHex(hmacSha256(code.toUtf8(), fields.join(QLatin1Char('|')).toUtf8()));
}

bool authOk(const QString& code, const QStringList& fields, const QString& given)
{
    return constantTimeEqual(auth(code, fields).toUtf8(), given.toUtf8());
}

NostrFilter codeFilter(const QString& hash)
{
    NostrFilter f;
    f.kinds = {kinds::Pairing};
    f.tags.insert(QStringLiteral("c"), {hash});
    return f;
}

Result<NostrEvent> pairingEvent(const QJsonObject& content, const QString& hash, const SecretKey& key, std::int64_t now)
{
    NostrEvent e;
    e.kind = kinds::Pairing;
    e.createdAt = now;
    e.tags = {{QStringLiteral("c"), hash}, {QStringLiteral("expiration"), QString::number(now + 3600)}};
    e.content = QString::fromUtf8(json::canonicalize(content).value());
    if (auto r = e.sign(key); !r)
        return r.error();
    return e;
}

QJsonObject contentOf(const NostrEvent& e)
{
    auto parsed = json::parse(e.content.toUtf8(), 4096);
    return parsed && parsed->isObject() ? parsed->toObject() : QJsonObject();
}

} // namespace

namespace pairing {

QString makeLink(const QString& code)
{
    return QStringLiteral("userwallet://pair?code=%1").arg(code);
}

Result<QString> parseLink(const QString& link)
{
    const QUrl url(link.trimmed(), QUrl::StrictMode);
    const QUrlQuery q(url);
    const auto items = q.queryItems(QUrl::FullyDecoded);
    if (!url.isValid() || url.scheme() != QLatin1String("userwallet") || url.host() != QLatin1String("pair") ||
        !(url.path().isEmpty() || url.path() == QLatin1String("/")) || url.hasFragment() || items.size() != 1 ||
        items[0].first != QLatin1String("code") || !isLowerHex(items[0].second, 32))
        return makeError(
            QStringLiteral("bad_link"),
            QStringLiteral("This is not a valid pairing link (userwallet://pair?code= followed by 32 hex digits)."));
    return items[0].second;
}

QString fingerprint(const QString& pubkeyHex)
{
    const auto key = fromHex<32>(pubkeyHex);
    if (!key)
        return {};
    const QString hex =
        toHex(Sha256::hash(QByteArrayView(reinterpret_cast<const char*>(key->data()), 32))).left(16).toUpper();
    return QStringLiteral("%1-%2-%3-%4").arg(hex.mid(0, 4), hex.mid(4, 4), hex.mid(8, 4), hex.mid(12, 4));
}

Result<NostrEvent> memberDocumentEvent(const MemberDocument& doc, const SecretKey& signer, std::int64_t now)
{
    return memberchain::sign(doc, signer, now);
}

Result<MemberDocument> readMemberDocumentEvent(const NostrEvent& event)
{
    auto doc = memberchain::readVersion(event);
    if (!doc)
        return doc.error();
    const bool authorized =
        std::any_of(doc->pairs.cbegin(), doc->pairs.cend(), [&](const PairRef& p) { return p.pubkey == event.pubkey; });
    if (!authorized)
        return makeError(
            QStringLiteral("invalid_member_event"),
            QStringLiteral("Invalid member document event: it is not signed by one of the member's pairs"));
    return doc;
}

} // namespace pairing

// ---- Device 1 ----

PairingOffer::PairingOffer(RelayPool* pool, std::shared_ptr<const KeyRing> keys, MemberDocument member,
                           const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(pool), m_keys(std::move(keys)), m_member(std::move(member)), m_clock(clock)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { fail(tr("No device answered the pairing link in time.")); });
    connect(m_pool, &RelayPool::eventReceived, this, &PairingOffer::onEvent);
    connect(m_pool, &RelayPool::publishFinished, this,
            [this](const QString& id, const QMap<QString, bool>& perRelay, const QMap<QString, QString>& messages) {
                if (!m_publishing.record(id, perRelay, messages) || m_done)
                    return;
                if (m_publishing.state() == PublishTracker::State::Refused) {
                    fail(tr("No relay accepted the pairing answer (%1).")
                             .arg(m_publishing.answers(id).join(QStringLiteral("; "))));
                    return;
                }
                if (m_publishing.state() == PublishTracker::State::Accepted) {
                    m_done = true;
                    m_timeout.stop();
                    Q_EMIT paired(m_candidate.pair, m_candidate.pubkey, m_publishing.perRelay(), m_member,
                                  m_documentEvent);
                }
            });
}

QString PairingOffer::start(int timeoutMs)
{
    std::uint8_t code[16];
    randomBytes(code, sizeof code);
    m_code = toHex(code, sizeof code);
    m_codeHash = codeHash(m_code);
    m_pool->subscribe(kCodeSub, {codeFilter(m_codeHash)});
    m_timeout.start(timeoutMs);
    return pairing::makeLink(m_code);
}

void PairingOffer::fail(const QString& reason)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_pool->unsubscribe(kCodeSub);
    Q_EMIT failed(reason);
}

void PairingOffer::onEvent(const QString& subId, const NostrEvent& event)
{
    if (subId != kCodeSub || m_done || !m_candidate.pair.isEmpty())
        return;
    const QJsonObject c = contentOf(event);
    const QString pair = c.value(QStringLiteral("pair")).toString();
    if (c.value(QStringLiteral("type")).toString() != QLatin1String("request") || !validate::isUuid(pair) ||
        !authOk(m_code, {QStringLiteral("request"), pair, event.pubkey}, c.value(QStringLiteral("auth")).toString()))
        return; // someone who does not know the code, or our own answer
    for (const PairRef& p : std::as_const(m_member.pairs))
        if (p.pair == pair || p.pubkey == event.pubkey)
            return;
    m_candidate = PairRef{pair, event.pubkey};
    // The new device's own name for itself (its host name), signed with its new key; a device that
    // sends none, or one a label may not be, stays unnamed until it renames itself.
    const QJsonValue label = c.value(QStringLiteral("label"));
    m_candidateLabel =
        label.isString() && MemberDocument::labelProblem(label.toString()).isEmpty() ? label.toString() : QString();
    Q_EMIT requestReceived(pairing::fingerprint(event.pubkey), pair, event.pubkey);
}

void PairingOffer::confirm(bool accept)
{
    if (m_done || m_candidate.pair.isEmpty())
        return;
    if (!accept) {
        fail(tr("Pairing refused; the member was not changed."));
        return;
    }
    // The next version of the member, signed with a pair that is already authorized for it (after
    // a version 1 of the current document when this device never published one).
    const std::int64_t now = m_clock.nowSeconds();
    auto update = memberchain::prepareUpdate(
        LocalMember{m_member, m_baseEvent},
        [this](MemberDocument& next) -> Result<void> {
            for (const PairRef& p : std::as_const(next.pairs))
                if (m_keys->contains(p.pair) && !next.labels.contains(p.pair))
                    next.labels.insert(p.pair, MemberDocument::defaultLabel());
            next.pairs.append(m_candidate);
            if (!m_candidateLabel.isEmpty())
                next.labels.insert(m_candidate.pair, m_candidateLabel);
            return {};
        },
        *m_keys, now);
    if (!update) {
        fail(update.error().code == QLatin1String("not_a_device_of_member")
                 ? tr("This device holds no authorized key of member \"%1\".").arg(m_member.id)
                 : update.error().message);
        return;
    }
    // The answer is signed by the same authorized pair as the document (prepareUpdate found one).
    const SecretKey* signer = nullptr;
    for (const PairRef& p : std::as_const(update->result.document.pairs))
        if ((signer = m_keys->secret(p.pair)))
            break;
    m_member = update->result.document;
    m_documentEvent = *update->result.event;
    const NostrEvent* doc = &m_documentEvent;
    auto answer =
        pairingEvent(QJsonObject{{QStringLiteral("type"), QStringLiteral("accept")},
                                 {QStringLiteral("member"), m_member.id},
                                 {QStringLiteral("pair"), m_candidate.pair},
                                 {QStringLiteral("document"), doc->id},
                                 {QStringLiteral("auth"),
                                  auth(m_code, {QStringLiteral("accept"), m_member.id, m_candidate.pair, doc->id})}},
                     m_codeHash, *signer, now);
    if (!answer) {
        fail(answer.error().message);
        return;
    }
    m_pool->unsubscribe(kCodeSub);
    QStringList ids;
    for (const NostrEvent& e : std::as_const(update->events))
        ids << e.id;
    ids << answer->id;
    m_publishing.start(ids);
    for (const NostrEvent& e : std::as_const(update->events))
        m_pool->publish(e);
    m_pool->publish(*answer);
}

// ---- Device 2 ----

PairingJoin::PairingJoin(RelayPool* pool, const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(pool), m_clock(clock)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { fail(tr("Device 1 did not confirm the pairing in time.")); });
    connect(m_pool, &RelayPool::eventReceived, this, &PairingJoin::onEvent);
}

void PairingJoin::fail(const QString& reason)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_pool->unsubscribe(kCodeSub);
    m_pool->unsubscribe(kDocSub);
    m_secret->wipe();
    Q_EMIT failed(reason);
}

void PairingJoin::start(const QString& link, int timeoutMs)
{
    auto code = pairing::parseLink(link);
    if (!code) {
        QMetaObject::invokeMethod(
            this, [this, why = code.error().message] { fail(why); }, Qt::QueuedConnection);
        return;
    }
    m_code = *code;
    m_codeHash = codeHash(m_code);
    m_secret = std::make_shared<SecretKey>(schnorr::generateSecretKey()); // a fresh key, shared with no one yet
    m_pair =
        PairRef{QUuid::createUuid().toString(QUuid::WithoutBraces), toHex(schnorr::xOnlyPublicKey(*m_secret).value())};
    auto request = pairingEvent(
        QJsonObject{{QStringLiteral("type"), QStringLiteral("request")},
                    {QStringLiteral("pair"), m_pair.pair},
                    {QStringLiteral("label"), m_label},
                    {QStringLiteral("auth"), auth(m_code, {QStringLiteral("request"), m_pair.pair, m_pair.pubkey})}},
        m_codeHash, *m_secret, m_clock.nowSeconds());
    if (!request) {
        QMetaObject::invokeMethod(
            this, [this, why = request.error().message] { fail(why); }, Qt::QueuedConnection);
        return;
    }
    m_pool->subscribe(kCodeSub, {codeFilter(m_codeHash)});
    m_pool->publish(*request);
    m_timeout.start(timeoutMs);
    const QString fp = pairing::fingerprint(m_pair.pubkey);
    QMetaObject::invokeMethod(
        this, [this, fp] { Q_EMIT fingerprintReady(fp); }, Qt::QueuedConnection);
}

void PairingJoin::onEvent(const QString& subId, const NostrEvent& event)
{
    if (m_done)
        return;
    if (subId == kCodeSub) {
        const QJsonObject c = contentOf(event);
        const QString type = c.value(QStringLiteral("type")).toString();
        const QString member = c.value(QStringLiteral("member")).toString();
        const QString document = c.value(QStringLiteral("document")).toString();
        if (type != QLatin1String("accept") || c.value(QStringLiteral("pair")).toString() != m_pair.pair ||
            !isLowerHex(document, 64) ||
            !authOk(m_code, {QStringLiteral("accept"), member, m_pair.pair, document},
                    c.value(QStringLiteral("auth")).toString()))
            return;
        m_expectedDocument = document;
        NostrFilter f;
        f.ids = {document};
        m_pool->subscribe(kDocSub, {f});
        return;
    }
    if (subId != kDocSub || event.id != m_expectedDocument)
        return;
    auto doc = pairing::readMemberDocumentEvent(event);
    if (!doc) {
        fail(doc.error().message);
        return;
    }
    const bool includesUs =
        std::any_of(doc->pairs.cbegin(), doc->pairs.cend(), [&](const PairRef& p) { return p == m_pair; });
    if (!includesUs || event.pubkey == m_pair.pubkey) {
        fail(tr("The member document does not authorize this device."));
        return;
    }
    m_done = true;
    m_timeout.stop();
    m_pool->unsubscribe(kCodeSub);
    m_pool->unsubscribe(kDocSub);
    m_documentEvent = event;
    Q_EMIT joined(*doc, m_pair, m_secret, m_documentEvent);
}

} // namespace uw
