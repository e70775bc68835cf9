#pragma once

#include "devices/CoSignPolicy.h"
#include "identity/KeyRing.h"
#include "util/Clock.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <memory>

namespace uw {
class CoSigner;
struct Challenge;
} // namespace uw

namespace uw::ui {

class RelayRuntime;

/// What device 2 is asked to sign, for the screen.
struct SigningRequest
{
    QString service;
    QString callback;
    QString callbackHost; ///< where the proof goes, shown apart so that a stranger's host stands out
    QDateTime createdAt;
    QDateTime expiresAt;
    QStringList members;
    QString hash;
};

/// The GUI's facade over device-2 signing: fetch and check the message named by a
/// link, then sign after the user's click. Each link gets its own CoSigner on the relay thread,
/// reached through queued calls; its answers come back as queued signals.
class SigningModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SigningModel)
public:
    /// `policy`: what this device holds a message to (its member document, the longest window).
    SigningModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, CoSignPolicy policy, const Clock& clock,
                 QObject* parent = nullptr);
    ~SigningModel() override;

    /// Parses the link (strictly) and fetches the message: requestReady() or failed().
    void open(const QString& link);
    /// A login that came by push, already checked by the listener: requestReady() at once.
    void review(const Challenge& challenge);
    /// After the user typed the number device 1 shows: published(), or failed() (a wrong number
    /// signs nothing and tells device 1).
    void sign(int typedNumber);
    /// The user refused: declined() once a relay took the refusal, or failed().
    void decline();
    /// The member document changed (a device was added): the next link is checked against it.
    void setPolicy(CoSignPolicy policy) { m_policy = std::move(policy); }

Q_SIGNALS:
    void requestReady(const uw::ui::SigningRequest& request);
    void published(const QMap<QString, bool>& perRelay);
    void declined();
    void failed(const QString& reason);

private:
    /// A co-signer for a new link or review; the previous one (and its queued answers) is dropped.
    CoSigner* newSigner();

    RelayRuntime* m_runtime;
    std::shared_ptr<const KeyRing> m_keys;
    CoSignPolicy m_policy;
    const Clock& m_clock;
    /// The current link's co-signer: built here, owned by the relay thread (RelayRuntime::adopt);
    /// the pointer is only read and written on this thread.
    CoSigner* m_signer = nullptr;
    quint64 m_generation = 0; ///< answers of an earlier link's co-signer, still queued, are dropped
};

} // namespace uw::ui

Q_DECLARE_METATYPE(uw::ui::SigningRequest)
