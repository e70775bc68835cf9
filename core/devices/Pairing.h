#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "relay/PublishTracker.h"
#include "relay/RelayPool.h"
#include "util/Clock.h"

#include <QTimer>
#include <memory>

namespace uw {

/// Pairing over the relays. Device 1 shows a one-time link carrying a
/// secret code; only SHA-256(code) ever reaches a relay (the "c" tag). Device 2
/// answers with its new key and an HMAC proving it read the code; both screens
/// show the same fingerprint of that key; the user confirms on device 1, which
/// adds the pair to the member and publishes the member document (kind 9243)
/// signed by an already authorized pair.
namespace pairing {

/// userwallet://pair?code=HEX32
QString makeLink(const QString& code);
Result<QString> parseLink(const QString& link); ///< returns the code
/// The short fingerprint both devices show: SHA-256 of the x-only key, 8 bytes as XXXX-XXXX-XXXX-XXXX.
QString fingerprint(const QString& pubkeyHex);
/// The member document event (kind 9243, ["m", id]) signed by `signer` (memberchain::sign).
Result<NostrEvent> memberDocumentEvent(const MemberDocument& doc, const SecretKey& signer, std::int64_t now);
/// Checks a kind-9243 event on its own: it verifies, its author is a pair of the document, and the
/// content parses. (Whether it follows the member's previous version is memberchain::resolve's.)
Result<MemberDocument> readMemberDocumentEvent(const NostrEvent& event);

} // namespace pairing

/// Device 1's side. Answers with requestReceived(), then paired() or failed().
class PairingOffer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PairingOffer)
public:
    PairingOffer(RelayPool* pool, std::shared_ptr<const KeyRing> keys, MemberDocument member, const Clock& clock,
                 QObject* parent = nullptr);

    /// The event that carries `member` (this device's member.event.json), which the new version
    /// names as its previous one. Without it, the current document is first published as a
    /// version 1 of its own (see memberchain::prepareUpdate).
    void setBaseEvent(std::optional<NostrEvent> event) { m_baseEvent = std::move(event); }
    /// Draws a fresh code, listens for answers, and returns the link to show.
    QString start(int timeoutMs);
    /// The user's decision on the fingerprint shown.
    void confirm(bool accept);
    const MemberDocument& member() const { return m_member; }
    /// The signed member document event published on success (the new version).
    const NostrEvent& documentEvent() const { return m_documentEvent; }

Q_SIGNALS:
    void requestReceived(const QString& fingerprint, const QString& pair, const QString& pubkey);
    /// The member document and the answer were each accepted by at least one relay;
    /// perRelay: relay -> accepted both (the failure names what each relay said); `member` is the
    /// updated document (as member() returns it) and `documentEvent` the event that carries it (as
    /// documentEvent() returns it), for a receiver on another thread.
    void paired(const QString& pair, const QString& pubkey, const QMap<QString, bool>& perRelay,
                const uw::MemberDocument& member, const uw::NostrEvent& documentEvent);
    void failed(const QString& reason);

private:
    void onEvent(const QString& subId, const NostrEvent& event);
    void fail(const QString& reason);

    RelayPool* m_pool;
    std::shared_ptr<const KeyRing> m_keys;
    MemberDocument m_member;
    const Clock& m_clock;
    QTimer m_timeout{this}; // parented: follows its owner to another thread
    QString m_code;
    QString m_codeHash;
    PairRef m_candidate;
    QString m_candidateLabel;
    std::optional<NostrEvent> m_baseEvent;
    NostrEvent m_documentEvent;
    PublishTracker m_publishing;
    bool m_done = false;
};

/// Device 2's side: holds its new key in memory until device 1 accepts.
class PairingJoin : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PairingJoin)
public:
    PairingJoin(RelayPool* pool, const Clock& clock, QObject* parent = nullptr);

    /// Parses the link, creates the key, sends the request. Answers with
    /// fingerprintReady(), then joined() or failed().
    void start(const QString& link, int timeoutMs);
    /// The label the request proposes for this device (default: its host name, MemberDocument::defaultLabel()).
    void setLabel(const QString& label) { m_label = label; }
    const SecretKey& secret() const { return *m_secret; }
    const PairRef& pair() const { return m_pair; }
    const NostrEvent& documentEvent() const { return m_documentEvent; }

Q_SIGNALS:
    void fingerprintReady(const QString& fingerprint);
    /// Device 1 accepted: `member` holds this device's `pair`, whose key is `secret` (the same as
    /// secret(); shared, not copied, for a receiver on another thread that stores it); `documentEvent`
    /// carries `member` (the next version names it).
    void joined(const uw::MemberDocument& member, const uw::PairRef& pair, std::shared_ptr<const uw::SecretKey> secret,
                const uw::NostrEvent& documentEvent);
    void failed(const QString& reason);

private:
    void onEvent(const QString& subId, const NostrEvent& event);
    void fail(const QString& reason);

    RelayPool* m_pool;
    const Clock& m_clock;
    QTimer m_timeout{this}; // parented: follows its owner to another thread
    QString m_code;
    QString m_codeHash;
    std::shared_ptr<SecretKey> m_secret = std::make_shared<SecretKey>();
    PairRef m_pair;
    QString m_label = MemberDocument::defaultLabel(); ///< this device's name in the request (its host name)
    QString m_expectedDocument;
    NostrEvent m_documentEvent;
    bool m_done = false;
};

} // namespace uw

Q_DECLARE_METATYPE(std::shared_ptr<const uw::SecretKey>)
