#pragma once

#include "crypto/SecretKey.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>

namespace uw {

/// Event kinds of the protocol (docs/PROTOCOL.md, "Relay events").
namespace kinds {
constexpr int LoginMessage = 9240;
constexpr int LoginSignature = 9241;
constexpr int Pairing = 9242;
constexpr int MemberDocument = 9243;
constexpr int LoginDecline = 9244;
} // namespace kinds

/// A NIP-01 event. Built and signed locally, or parsed from an untrusted relay
/// and then verified (id recomputed, BIP340 signature checked) before use.
struct NostrEvent
{
    static constexpr qsizetype kMaxContentBytes = 64 * 1024;

    QString id;     ///< 64 lowercase hex: SHA-256 of the NIP-01 serialization
    QString pubkey; ///< 64 lowercase hex x-only key
    std::int64_t createdAt = 0;
    int kind = 0;
    QList<QStringList> tags;
    QString content;
    QString sig; ///< 128 lowercase hex BIP340 signature of the id

    bool operator==(const NostrEvent&) const = default;

    /// The NIP-01 serialization `[0,pubkey,created_at,kind,tags,content]`, UTF-8.
    QByteArray serializeForId() const;
    QString computeId() const;

    /// Sets pubkey, id and sig from `secret`.
    Result<void> sign(const SecretKey& secret);
    /// True when the id is the hash of the content and the signature verifies.
    bool verify() const;

    /// The first value of the first tag named `name`, if any.
    std::optional<QString> tagValue(const QString& name) const;
    /// NIP-40 expiration, if the event carries one.
    std::optional<std::int64_t> expiration() const;

    QJsonObject toJson() const;
    /// Strict structural parse (types, hex formats, sizes). Does not verify: call verify().
    static Result<NostrEvent> fromJson(const QJsonObject& json);
};

} // namespace uw
