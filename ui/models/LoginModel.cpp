#include "models/LoginModel.h"

#include "devices/LoginSession.h"
#include "models/RelayRuntime.h"

#include <QDateTime>
#include <QLocale>
#include <QUrl>

namespace uw::ui {

LoginModel::LoginModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, const MemberDocument& member,
                       QString walletDatabase, int timeoutSeconds, const Clock& clock, QObject* parent)
    : QObject(parent), m_labels(member.pairLabels()), m_sessionTimeoutSeconds(timeoutSeconds),
      m_timeoutSeconds(timeoutSeconds),
      m_session(new LoginSession(runtime->pool(), std::move(keys),
                                 {member.requirement(), std::move(walletDatabase), timeoutSeconds, member.pairLabels()},
                                 clock))
{
    // Connected while both live on this thread; from the relay thread they arrive queued, and
    // they stop when this model goes.
    connect(m_session, &LoginSession::stateChanged, this, [this](LoginState s) {
        m_state = s;
        Q_EMIT stateChanged(s);
    });
    connect(m_session, &LoginSession::challengeReady, this,
            [this](const QString& hash, const QString&, const QString& link) {
                m_deliveries.clear(); // a new login
                Q_EMIT numberReady(loginNumber(hash));
                Q_EMIT linkReady(link);
            });
    connect(m_session, &LoginSession::signatureAdded, this,
            [this](const LoginSignature& s, bool remote) { Q_EMIT signatureAdded(s.member, s.pair, remote); });
    connect(m_session, &LoginSession::confirmationRequested, this, [this](const QList<LoginSignature>& remote) {
        QStringList who;
        for (const LoginSignature& s : remote)
            who.append(describe(s));
        Q_EMIT confirmationRequested(who);
    });
    connect(m_session, &LoginSession::signatureDelivered, this,
            [this](const LoginSignature& s, std::int64_t signedAt, const QString& relay) {
                Delivery& d = m_deliveries[s.pair + QLatin1Char(':') + s.sig];
                if (d.signedAt == 0 || signedAt < d.signedAt)
                    d.signedAt = signedAt;
                if (!d.relays.contains(relay))
                    d.relays.append(relay);
            });
    connect(m_session, &LoginSession::finished, this, &LoginModel::finished);
    // Answers of the fetch asked last only: a cancelled or replaced fetch says nothing.
    connect(m_session, &LoginSession::requestReady, this, [this](const QString& url, const LoginRequest& r) {
        if (url == m_fetching) {
            m_fetching.clear();
            Q_EMIT requestReady(r);
        }
    });
    connect(m_session, &LoginSession::requestRefused, this,
            [this](const QString& url, const QString&, const QString& reason) {
                if (url == m_fetching) {
                    m_fetching.clear();
                    Q_EMIT requestRefused(reason);
                }
            });
    runtime->adopt(m_session);
}

LoginModel::~LoginModel()
{
    // Calls already queued run first; then the session and its flow go, on the relay thread.
    m_session->deleteLater();
}

void LoginModel::start(const QString& service, const QString& callback)
{
    m_timeoutSeconds = m_sessionTimeoutSeconds;
    RelayRuntime::call(m_session, [service, callback](LoginSession* s) { s->start(service, callback); });
}

void LoginModel::fetchRequest(const QString& url)
{
    m_fetching = url;
    RelayRuntime::call(m_session, [url](LoginSession* s) { s->fetchRequest(url); });
}

void LoginModel::startRequest(const LoginRequest& request)
{
    m_timeoutSeconds = LoginSession::timeoutSeconds(m_sessionTimeoutSeconds, request);
    RelayRuntime::call(m_session, [request](LoginSession* s) { s->start(request); });
}

void LoginModel::answerConfirmation(bool accept)
{
    RelayRuntime::call(m_session, [accept](LoginSession* s) { s->answerConfirmation(accept); });
}

void LoginModel::cancel()
{
    m_fetching.clear();
    RelayRuntime::call(m_session, [](LoginSession* s) { s->cancel(); });
}

void LoginModel::setMember(const MemberDocument& member)
{
    m_labels = member.pairLabels();
    RelayRuntime::call(m_session, [requirement = member.requirement(), labels = member.pairLabels()](LoginSession* s) {
        s->setMember(requirement, labels);
    });
}

QString LoginModel::describe(const LoginSignature& s) const
{
    const QString label = m_labels.value(s.pair);
    //: A device without a label: %1 is the start of its pair id.
    const QString device = label.isEmpty() ? tr("device %1…").arg(s.pair.left(8)) : label;
    const auto it = m_deliveries.constFind(s.pair + QLatin1Char(':') + s.sig);
    if (it == m_deliveries.cend())
        //: A remote signature at the confirmation: %1 the device, %2 its member.
        return tr("%1 (member %2)").arg(device, s.member);
    QStringList relays;
    for (const QString& url : it->relays) {
        const QUrl u(url);
        relays.append(u.port() > 0 ? QStringLiteral("%1:%2").arg(u.host()).arg(u.port()) : u.host());
    }
    //: A remote signature at the confirmation: %1 the device, %2 its member, %3 the time it was
    //: signed, %4 the relays that delivered it.
    return tr("%1 (member %2), signed at %3, via %4")
        .arg(device, s.member,
             QLocale().toString(QDateTime::fromSecsSinceEpoch(it->signedAt).time(), QLocale::LongFormat),
             relays.join(QStringLiteral(", ")));
}

} // namespace uw::ui
