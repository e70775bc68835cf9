// docs/PROTOCOL.md kept honest: its worked example is recomputed byte for byte with the
// project's own code, and its table of verify-proof codes is compared with the codes the
// parser, the verifier and the nonce store really return.
#include "anchor/AnchorTx.h"
#include "bitcoin/Script.h"
#include "bitcoin/WalletKey.h"
#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "devices/LoginEvents.h"
#include "devices/LoginSignLink.h"
#include "identity/WalletStore.h"
#include "login/Challenge.h"
#include "login/LoginRequest.h"
#include "login/LoginValidation.h"
#include "login/Proof.h"
#include "login/ProofVerifier.h"

#include "json/CanonicalJson.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;

namespace {

const QString kDocPath = QStringLiteral(UW_SOURCE_DIR "/docs/PROTOCOL.md");

/// One example key of the document: never to be used for anything else.
struct ExampleKey
{
    QString pair;
    QString pubkey;
    std::shared_ptr<SecretKey> secret;
};

QJsonObject parseObject(const QString& text, const char* what)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("%s is not a JSON object: %s", what, qPrintable(err.errorString()));
    return doc.object();
}

QByteArray compact(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

/// BIP340 with aux_rand = 32 zero bytes: the deterministic signatures of the example.
QString deterministicSign(const SecretKey& secret, const Bytes32& message)
{
    const auto sig =
        schnorr::sign(secret, QByteArrayView(reinterpret_cast<const char*>(message.data()), 32), Bytes32{});
    return sig ? toHex(*sig) : QString();
}

} // namespace

class TestProtocolDoc : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void selfContained();
    void exampleKeys();
    void canonicalFormAndHash();
    void signingInput();
    void signature();
    void signatureEvent();
    void filterAndLink();
    void proofVerifies();
    void tamperedProofFails();
    void codeTableMatchesTheCode();
    void anchoring();

private:
    /// The fenced block that follows `<!-- example: NAME -->`, without its fences and without
    /// the final line break. Empty, with a warning, when the marker is missing or repeated (so
    /// that the comparisons that follow fail).
    QString block(const QString& name) const;
    /// The rows (cells, trimmed) of the table that follows `marker`, header and separator left out.
    QList<QStringList> tableRows(const QString& marker) const;
    /// The first column of the table that follows `<!-- codes: verify-proof -->`, backticks removed.
    QStringList tableCodes() const;
    const ExampleKey* key(const QString& pair) const;
    /// The example message as the project reads it (checked by initTestCase()).
    const Challenge& challenge() const { return *m_challenge; }
    /// A proof of `message` signed (deterministically) by every example key it names.
    QByteArray signedProof(const QJsonObject& message) const;
    /// What `userwallet-cli verify-proof [--mark]` answers: empty when valid, else the code
    /// (and the reason in `reason`).
    static QString verifyLikeTheCli(const QByteArray& text, std::int64_t now, WalletStore* mark,
                                    QString* reason = nullptr, const LoginRequest* expected = nullptr);

    QString m_doc;
    QList<ExampleKey> m_keys;
    std::optional<Challenge> m_challenge;
};

QString TestProtocolDoc::block(const QString& name) const
{
    const QString marker = QStringLiteral("<!-- example: %1 -->").arg(name);
    const QStringList lines = m_doc.split(QLatin1Char('\n'));
    qsizetype at = -1;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed() == marker) {
            if (at >= 0) {
                qWarning("marker %s appears twice", qPrintable(marker));
                return {};
            }
            at = i;
        }
    }
    if (at < 0) {
        qWarning("marker %s is missing", qPrintable(marker));
        return {};
    }
    qsizetype i = at + 1;
    while (i < lines.size() && lines[i].trimmed().isEmpty())
        ++i;
    if (i >= lines.size() || !lines[i].startsWith(QLatin1String("```"))) {
        qWarning("marker %s is not followed by a fenced block", qPrintable(marker));
        return {};
    }
    QStringList body;
    for (++i; i < lines.size() && lines[i] != QLatin1String("```"); ++i)
        body.append(lines[i]);
    if (i >= lines.size()) {
        qWarning("the block after %s is not closed", qPrintable(marker));
        return {};
    }
    return body.join(QLatin1Char('\n'));
}

QList<QStringList> TestProtocolDoc::tableRows(const QString& marker) const
{
    const QStringList lines = m_doc.split(QLatin1Char('\n'));
    qsizetype i = lines.indexOf(marker);
    if (i < 0)
        return {};
    for (++i; i < lines.size() && lines[i].trimmed().isEmpty(); ++i) {
    }
    QList<QStringList> rows;
    for (int row = 0; i < lines.size() && lines[i].startsWith(QLatin1Char('|')); ++i, ++row) {
        if (row < 2) // header and separator
            continue;
        QStringList cells = lines[i].split(QLatin1Char('|'));
        cells = cells.mid(1, cells.size() - 2);
        for (QString& c : cells)
            c = c.trimmed();
        rows.append(cells);
    }
    return rows;
}

QStringList TestProtocolDoc::tableCodes() const
{
    QStringList codes;
    for (const QStringList& row : tableRows(QStringLiteral("<!-- codes: verify-proof -->"))) {
        QString code = row.value(0);
        code.remove(QLatin1Char('`'));
        codes.append(code);
    }
    return codes;
}

const ExampleKey* TestProtocolDoc::key(const QString& pair) const
{
    for (const ExampleKey& k : m_keys)
        if (k.pair == pair)
            return &k;
    return nullptr;
}

QByteArray TestProtocolDoc::signedProof(const QJsonObject& messageJson) const
{
    auto message = LoginMessage::fromJson(messageJson);
    if (!message)
        return compact(QJsonObject{{QStringLiteral("v"), 1}, {QStringLiteral("message"), messageJson}});
    const Challenge c = Challenge::fromMessage(*message).value();
    const Bytes32 digest = loginSigningDigest(c.hash, c.nonce());
    QList<LoginSignature> sigs;
    for (const MemberRequirement& m : c.message.members)
        for (const PairRef& p : m.pairs)
            if (const ExampleKey* k = key(p.pair))
                sigs.append(LoginSignature{m.id, p.pair, p.pubkey, deterministicSign(*k->secret, digest)});
    return Proof{c.message, c.hash, c.nonce(), mapMsgSignaturesToProofFormat(c, sigs)}.toBytes();
}

QString TestProtocolDoc::verifyLikeTheCli(const QByteArray& text, std::int64_t now, WalletStore* mark, QString* reason,
                                          const LoginRequest* expected)
{
    auto proof = Proof::fromBytes(text);
    Result<void> outcome = proof ? ProofVerifier::verify(*proof, ManualClock(now)) : Result<void>(proof.error());
    if (outcome && expected)
        outcome = expected->check(proof->message);
    if (outcome && mark)
        outcome = mark->markNonceUsed(proof->nonce, proof->hash, now);
    if (outcome)
        return {};
    if (reason)
        *reason = outcome.error().message;
    return outcome.error().code;
}

void TestProtocolDoc::initTestCase()
{
    QFile f(kDocPath);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(kDocPath));
    m_doc = QString::fromUtf8(f.readAll());
    m_doc.remove(QLatin1Char('\r'));
    QVERIFY(!m_doc.isEmpty());

    auto message = LoginMessage::fromJson(parseObject(block(QStringLiteral("message")), "the example message"));
    QVERIFY2(message, message ? "" : qPrintable(message.error().message));
    auto challenge = Challenge::fromMessage(*message);
    QVERIFY2(challenge, challenge ? "" : qPrintable(challenge.error().message));
    m_challenge = std::move(*challenge);

    const QJsonDocument keys = QJsonDocument::fromJson(block(QStringLiteral("keys")).toUtf8());
    QVERIFY2(keys.isArray() && !keys.array().isEmpty(), "the example keys block must be a JSON array");
    for (const QJsonValue& v : keys.array()) {
        const QJsonObject o = v.toObject();
        const auto secret = fromHex<32>(o.value(QStringLiteral("secret")).toString());
        QVERIFY2(secret, "an example secret key is not 64 lowercase hex digits");
        m_keys.append(ExampleKey{o.value(QStringLiteral("pair")).toString(),
                                 o.value(QStringLiteral("pubkey")).toString(),
                                 std::make_shared<SecretKey>(secret->data())});
    }
}

void TestProtocolDoc::selfContained()
{
    // The document stands on its own: no outside documents, no machine paths.
    // (Written in pieces so that the repository's reference check does not flag this file.)
    for (const char* banned : {"../"
                               "shared",
                               "SP"
                               "EC",
                               "§", "/work/", "/home/", "/tmp/", "/usr/"})
        QVERIFY2(!m_doc.contains(QString::fromUtf8(banned)), banned);
    // The numbers a reader needs are the code's.
    for (const int kind : {kinds::LoginMessage, kinds::LoginSignature, kinds::Pairing, kinds::MemberDocument})
        QVERIFY2(m_doc.contains(QString::number(kind)), qPrintable(QString::number(kind)));
    QVERIFY(m_doc.contains(QString::number(LoginMessage::kMaxBytes)));
    QVERIFY(m_doc.contains(QString::number(Proof::kMaxBytes)));
    QVERIFY(m_doc.contains(QStringLiteral("%1 seconds").arg(ProofVerifier::kMaxClockSkewSeconds)));
}

void TestProtocolDoc::exampleKeys()
{
    QVERIFY(m_keys.size() >= 2);
    for (const ExampleKey& k : std::as_const(m_keys)) {
        QVERIFY2(validate::isUuid(k.pair), qPrintable(k.pair));
        QCOMPARE(toHex(schnorr::xOnlyPublicKey(*k.secret).value()), k.pubkey);
    }
    // Every pair of the example message is one of the example keys, with the same public key.
    const Challenge& c = challenge();
    for (const MemberRequirement& m : c.message.members)
        for (const PairRef& p : m.pairs) {
            QVERIFY2(key(p.pair), qPrintable(p.pair));
            QCOMPARE(p.pubkey, key(p.pair)->pubkey);
        }
}

void TestProtocolDoc::canonicalFormAndHash()
{
    const Challenge& c = challenge();
    const QByteArray documented = block(QStringLiteral("canonical")).toUtf8();
    QCOMPARE(c.canonical, documented);
    QCOMPARE(json::canonicalize(parseObject(block(QStringLiteral("message")), "message")).value(), documented);
    const QString hash = block(QStringLiteral("hash"));
    QCOMPARE(Sha256::hashHex(documented), hash);
    QCOMPARE(c.hash, hash);
}

void TestProtocolDoc::signingInput()
{
    const Challenge& c = challenge();
    const QString input = block(QStringLiteral("signing-input"));
    QCOMPARE(input, c.hash + QLatin1Char('-') + c.nonce());
    const QString digest = block(QStringLiteral("digest"));
    QCOMPARE(Sha256::hashHex(input.toUtf8()), digest);
    QCOMPARE(toHex(loginSigningDigest(c.hash, c.nonce())), digest);
}

void TestProtocolDoc::signature()
{
    const Challenge& c = challenge();
    const QJsonObject o = parseObject(block(QStringLiteral("signature")), "signature");
    const LoginSignature s{o.value(QStringLiteral("member")).toString(), o.value(QStringLiteral("pair")).toString(),
                           o.value(QStringLiteral("pubkey")).toString(), o.value(QStringLiteral("sig")).toString()};
    QCOMPARE(o, s.toJson());
    QVERIFY2(verifyLoginSignature(c.hash, c.nonce(), s), "the documented signature does not verify");
    const ExampleKey* k = key(s.pair);
    QVERIFY(k);
    QCOMPARE(s.pubkey, k->pubkey);
    QCOMPARE(s.sig, deterministicSign(*k->secret, loginSigningDigest(c.hash, c.nonce())));
    // The project's signer gives a signature for the same key over the same bytes.
    KeyRing ring;
    ring.add(k->pair, k->pubkey, SecretKey(k->secret->data()));
    const auto mine = signChallenge(c, s.member, ring);
    QVERIFY(mine);
    QCOMPARE(mine->size(), qsizetype(1));
    QCOMPARE(mine->first().pair, s.pair);
    QCOMPARE(mine->first().pubkey, s.pubkey);
    QVERIFY(verifyLoginSignature(c.hash, c.nonce(), mine->first()));
}

void TestProtocolDoc::signatureEvent()
{
    const Challenge& c = challenge();
    const QJsonObject so = parseObject(block(QStringLiteral("signature")), "signature");
    const LoginSignature s{so.value(QStringLiteral("member")).toString(), so.value(QStringLiteral("pair")).toString(),
                           so.value(QStringLiteral("pubkey")).toString(), so.value(QStringLiteral("sig")).toString()};
    const QJsonObject eo = parseObject(block(QStringLiteral("event")), "event");
    const auto event = NostrEvent::fromJson(eo);
    QVERIFY2(event, event ? "" : qPrintable(event.error().message));
    QCOMPARE(event->toJson(), eo);
    QCOMPARE(event->kind, kinds::LoginSignature);
    QCOMPARE(event->computeId(), event->id);
    QVERIFY2(event->verify(), "the documented event does not verify");
    QCOMPARE(event->pubkey, s.pubkey);

    // The same event as the project builds it: same id (the signature aside, which uses fresh aux).
    const ExampleKey* k = key(s.pair);
    QVERIFY(k);
    const auto built = loginEvents::signatureEvent(c, s, *k->secret, event->createdAt);
    QVERIFY(built);
    QCOMPARE(built->content, event->content);
    QCOMPARE(built->tags, event->tags);
    QCOMPARE(built->pubkey, event->pubkey);
    QCOMPARE(built->id, event->id);
    QCOMPARE(event->sig, deterministicSign(*k->secret, fromHex<32>(event->id).value()));

    // And it reads back as the documented signature.
    const auto read = loginEvents::parseSignatureEvent(*event);
    QVERIFY(read);
    QCOMPARE(*read, s);
    QVERIFY(loginEvents::signaturesFilter(c.hash).matches(*event));
}

void TestProtocolDoc::filterAndLink()
{
    const Challenge& c = challenge();
    const QJsonDocument req = QJsonDocument::fromJson(block(QStringLiteral("filter")).toUtf8());
    QVERIFY(req.isArray());
    QCOMPARE(req.array().size(), qsizetype(3));
    QCOMPARE(req.array().at(0).toString(), QStringLiteral("REQ"));
    QCOMPARE(req.array().at(2).toObject(), loginEvents::signaturesFilter(c.hash).toJson());

    const QString link = block(QStringLiteral("link"));
    QCOMPARE(link, (LoginSignLink{c.hash, c.nonce()}.toString()));
    const auto parsed = LoginSignLink::parse(link);
    QVERIFY(parsed);
    QCOMPARE(parsed->hash, c.hash);
    QCOMPARE(parsed->nonce, c.nonce());
}

void TestProtocolDoc::proofVerifies()
{
    const Challenge& c = challenge();
    const QByteArray text = block(QStringLiteral("proof")).toUtf8();
    const auto proof = Proof::fromBytes(text);
    QVERIFY2(proof, proof ? "" : qPrintable(proof.error().message));
    // Exactly the proof the project assembles from the example's deterministic signatures.
    QCOMPARE(parseObject(QString::fromUtf8(text), "proof"),
             parseObject(QString::fromUtf8(signedProof(c.message.toJson())), "built"));
    QCOMPARE(proof->hash, c.hash);
    QCOMPARE(proof->message, c.message);
    // The documented signature is one of the proof's.
    const QJsonObject so = parseObject(block(QStringLiteral("signature")), "signature");
    QVERIFY(std::any_of(proof->signatures.cbegin(), proof->signatures.cend(),
                        [&](const LoginSignature& s) { return s.toJson() == so; }));

    const std::int64_t inside = c.message.createdAt + 60;
    QString reason;
    QCOMPARE(verifyLikeTheCli(text, inside, nullptr, &reason), QString());
    const QJsonObject valid{{QStringLiteral("valid"), true}};
    QCOMPARE(parseObject(block(QStringLiteral("verify-ok")), "verify-ok"), valid);
    // The window's edges are where the document puts them.
    QCOMPARE(verifyLikeTheCli(text, c.message.expiresAt, nullptr), QString());
    QCOMPARE(verifyLikeTheCli(text, c.message.expiresAt + 1, nullptr), QStringLiteral("expired"));
    QCOMPARE(verifyLikeTheCli(text, c.message.createdAt - ProofVerifier::kMaxClockSkewSeconds, nullptr), QString());
    QCOMPARE(verifyLikeTheCli(text, c.message.createdAt - ProofVerifier::kMaxClockSkewSeconds - 1, nullptr),
             QStringLiteral("not_yet_valid"));
}

void TestProtocolDoc::tamperedProofFails()
{
    const Challenge& c = challenge();
    const QString sig =
        parseObject(block(QStringLiteral("signature")), "signature").value(QStringLiteral("sig")).toString();
    QString tampered = sig;
    tampered[127] = tampered[127] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
    QByteArray text = block(QStringLiteral("proof")).toUtf8();
    QCOMPARE(text.count(sig.toUtf8()), 1);
    text.replace(sig.toUtf8(), tampered.toUtf8());

    const QJsonObject expected = parseObject(block(QStringLiteral("verify-tampered")), "verify-tampered");
    QCOMPARE(expected.value(QStringLiteral("valid")), QJsonValue(false));
    QString reason;
    QCOMPARE(verifyLikeTheCli(text, c.message.createdAt + 60, nullptr, &reason),
             expected.value(QStringLiteral("code")).toString());
    QCOMPARE(reason, expected.value(QStringLiteral("reason")).toString());
}

void TestProtocolDoc::codeTableMatchesTheCode()
{
    const Challenge& c = challenge();
    const QByteArray good = block(QStringLiteral("proof")).toUtf8();
    const QJsonObject proof = parseObject(QString::fromUtf8(good), "proof");
    const QJsonObject message = proof.value(QStringLiteral("message")).toObject();
    const std::int64_t inside = c.message.createdAt + 60;
    auto withProof = [&](const QString& field, const QJsonValue& value) {
        QJsonObject o = proof;
        o.insert(field, value);
        return compact(o);
    };
    auto withMessage = [&](const QString& field, const QJsonValue& value) {
        QJsonObject m = message;
        m.insert(field, value);
        return withProof(QStringLiteral("message"), m);
    };
    QJsonArray sigs = proof.value(QStringLiteral("signatures")).toArray();
    QJsonObject foreign = sigs.at(0).toObject();
    foreign.insert(QStringLiteral("member"), QStringLiteral("mallory"));
    QJsonArray tamperedSigs = sigs;
    QString badSig = sigs.at(0).toObject().value(QStringLiteral("sig")).toString();
    badSig[0] = badSig[0] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
    QJsonObject bad = sigs.at(0).toObject();
    bad.insert(QStringLiteral("sig"), badSig);
    tamperedSigs[0] = bad;
    QJsonArray oneSig{sigs.at(0)};
    QJsonArray members = message.value(QStringLiteral("members")).toArray();
    QJsonObject dependent = members.at(0).toObject();
    dependent.insert(QStringLiteral("depends_on"), QJsonArray{QStringLiteral("carol")});
    QJsonObject dependentMessage = message;
    dependentMessage.insert(QStringLiteral("members"), QJsonArray{dependent});
    QJsonObject longMessage = message; // open one second longer than any verifier accepts
    longMessage.insert(QStringLiteral("expires_at"),
                       qint64(c.message.createdAt + ProofVerifier::kMaxValiditySeconds + 1));
    QByteArray loneSurrogate = compact(proof);
    const QByteArray service = "\"service\":" + QJsonDocument(QJsonArray{message.value(QStringLiteral("service"))})
                                                    .toJson(QJsonDocument::Compact)
                                                    .mid(1)
                                                    .chopped(1);
    QCOMPARE(loneSurrogate.count(service), 1);
    loneSurrogate.replace(service, QByteArrayLiteral("\"service\":\"a\\ud800b\""));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto store = WalletStore::open(dir.filePath(QStringLiteral("wallet.sqlite")));
    QVERIFY(store);
    QVERIFY(verifyLikeTheCli(good, inside, &*store).isEmpty());

    // Each code, produced by the code itself: parse, verify, then --mark.
    const QList<std::tuple<QString, QByteArray, std::int64_t, bool>> cases{
        {QStringLiteral("too_large"), good + QByteArray(Proof::kMaxBytes, ' '), inside, false},
        {QStringLiteral("bad_json"), good.chopped(1), inside, false},
        {QStringLiteral("bad_json"), loneSurrogate, inside, false},
        {QStringLiteral("invalid_proof"), withProof(QStringLiteral("v"), 2), inside, false},
        {QStringLiteral("invalid_message"),
         withMessage(QStringLiteral("callback"), QStringLiteral("http://shop.example/cb")), inside, false},
        {QStringLiteral("duplicate_key"), QByteArray(good).replace("\"v\": 1", "\"v\": 1, \"v\": 1"), inside, false},
        {QStringLiteral("not_integer"), QByteArray(good).replace("\"v\": 1", "\"v\": 1.0"), inside, false},
        {QStringLiteral("too_deep"), QByteArray(QByteArray(65, '[') + QByteArray(65, ']')), inside, false},
        {QStringLiteral("out_of_range"), QByteArray(good).replace("\"v\": 1", "\"v\": 18446744073709551615"), inside,
         false},
        {QStringLiteral("hash_mismatch"), withProof(QStringLiteral("hash"), QString(64, QLatin1Char('0'))), inside,
         false},
        {QStringLiteral("nonce_mismatch"), withProof(QStringLiteral("nonce"), QString(32, QLatin1Char('0'))), inside,
         false},
        {QStringLiteral("validity_too_long"), signedProof(longMessage), inside, false},
        {QStringLiteral("expired"), good, c.message.expiresAt + 1, false},
        {QStringLiteral("not_yet_valid"), good, c.message.createdAt - ProofVerifier::kMaxClockSkewSeconds - 1, false},
        {QStringLiteral("unauthorized_key"), withProof(QStringLiteral("signatures"), QJsonArray{foreign, sigs.at(1)}),
         inside, false},
        {QStringLiteral("signature_invalid"), withProof(QStringLiteral("signatures"), tamperedSigs), inside, false},
        {QStringLiteral("insufficient_signatures"), withProof(QStringLiteral("signatures"), oneSig), inside, false},
        {QStringLiteral("dependency_unsatisfied"), signedProof(dependentMessage), inside, false},
        {QStringLiteral("nonce_used"), good, inside, true},
    };
    QStringList reached;
    for (const auto& [code, text, now, mark] : cases) {
        QString reason;
        const QString got = verifyLikeTheCli(text, now, mark ? &*store : nullptr, &reason);
        QVERIFY2(got == code, qPrintable(QStringLiteral("%1: got \"%2\" (%3)").arg(code, got, reason)));
        if (!reached.contains(code))
            reached.append(code);
    }

    // --expect: the service's record of the example login passes; a record that asks one more
    // signature of the first member than the message does is a mismatch.
    LoginRequest record{c.message.service, c.message.callback, c.message.members, c.message.strict,
                        int(c.message.expiresAt - c.message.createdAt)};
    QCOMPARE(verifyLikeTheCli(good, inside, nullptr, nullptr, &record), QString());
    record.members[0].cardinaliteMinimale += 1;
    QCOMPARE(verifyLikeTheCli(good, inside, nullptr, nullptr, &record), QStringLiteral("expectation_mismatch"));
    reached.append(QStringLiteral("expectation_mismatch"));

    // The table lists exactly these codes, each once.
    QStringList documented = tableCodes();
    QVERIFY2(!documented.isEmpty(), "no table after <!-- codes: verify-proof -->");
    QCOMPARE(QSet<QString>(documented.cbegin(), documented.cend()).size(), documented.size());
    documented.sort();
    reached.sort();
    QCOMPARE(documented, reached);

    // And every code the verifier's source can fail with is in it (a new rule needs a row).
    QFile verifierSource(QStringLiteral(UW_SOURCE_DIR "/core/login/ProofVerifier.cpp"));
    QVERIFY2(verifierSource.open(QIODevice::ReadOnly), "core/login/ProofVerifier.cpp not found");
    const QString source = QString::fromUtf8(verifierSource.readAll());
    QVERIFY2(!source.isEmpty(), "ProofVerifier.cpp not found under the source tree");
    static const QRegularExpression failCall(QStringLiteral("fail\\(\\s*\"([a-z_]+)\""));
    int found = 0;
    for (auto m = failCall.globalMatch(source); m.hasNext(); ++found) {
        const QString code = m.next().captured(1);
        QVERIFY2(documented.contains(code), qPrintable(code + QStringLiteral(" is not in the table")));
    }
    QVERIFY(found >= 8);
}

void TestProtocolDoc::anchoring()
{
    // The OP_RETURN of the documented digest (SHA-256 of nothing).
    const QString digest = Sha256::hashHex(QByteArray());
    const QByteArray script = btc::script::opReturn(anchorTx::payload(digest));
    QCOMPARE(script.size(), qsizetype(38));
    QCOMPARE(QString::fromLatin1(script.toHex()), block(QStringLiteral("anchor-script")));
    QCOMPARE(anchorTx::digestOf(script), std::optional<QString>(digest));

    // Dust thresholds and largest sizes, per kind of wallet key.
    const QList<QStringList> rows = tableRows(QStringLiteral("<!-- table: anchor-sizes -->"));
    QCOMPARE(rows.size(), qsizetype(2));
    static const QRegularExpression number(QStringLiteral("^(\\d+) (sat|vB)$"));
    auto value = [](const QString& cell) {
        const auto m = number.match(cell);
        return m.hasMatch() ? m.captured(1).toLongLong() : -1;
    };
    for (const QStringList& row : rows) {
        QCOMPARE(row.size(), qsizetype(4));
        const bool taproot = row[0] == QLatin1String("P2TR");
        QVERIFY2(taproot || row[0] == QLatin1String("P2WPKH"), qPrintable(row[0]));
        auto key =
            btc::WalletKey::fromSecret(SecretKey(m_keys.first().secret->data()),
                                       taproot ? btc::KeyType::P2TR : btc::KeyType::P2WPKH, btc::Network::Signet);
        QVERIFY(key);
        QVERIFY(taproot ? btc::script::isP2tr(key->script()) : btc::script::isP2wpkh(key->script()));
        QCOMPARE(value(row[1]), qlonglong(key->dust()));
        QCOMPARE(value(row[2]), qlonglong(anchorTx::maxVsize(*key, 1)));
        QCOMPARE(value(row[3]), qlonglong(anchorTx::maxVsize(*key, 0)));
    }
}

QTEST_GUILESS_MAIN(TestProtocolDoc)
#include "test_protocol_doc.moc"
