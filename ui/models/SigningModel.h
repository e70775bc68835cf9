#pragma once

#include "identity/KeyRing.h"
#include "util/Clock.h"

#include <QDateTime>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <memory>

namespace uw {
class CoSigner;
}

namespace uw::ui {

class RelayRuntime;

/// What device 2 is asked to sign, for the screen.
struct SigningRequest
{
    QString service;
    QString callback;
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
    SigningModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, QString memberId, const Clock& clock,
                 QObject* parent = nullptr);
    ~SigningModel() override;

    /// Parses the link (strictly) and fetches the message: requestReady() or failed().
    void open(const QString& link);
    /// After the user's click: published() or failed().
    void sign();

Q_SIGNALS:
    void requestReady(const uw::ui::SigningRequest& request);
    void published(const QMap<QString, bool>& perRelay);
    void failed(const QString& reason);

private:
    RelayRuntime* m_runtime;
    std::shared_ptr<const KeyRing> m_keys;
    QString m_memberId;
    const Clock& m_clock;
    /// The current link's co-signer: built here, owned by the relay thread (RelayRuntime::adopt);
    /// the pointer is only read and written on this thread.
    CoSigner* m_signer = nullptr;
    quint64 m_generation = 0; ///< answers of an earlier link's co-signer, still queued, are dropped
};

} // namespace uw::ui

Q_DECLARE_METATYPE(uw::ui::SigningRequest)
