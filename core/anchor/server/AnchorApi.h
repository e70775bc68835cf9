#pragma once

#include "anchor/AnchorStore.h"
#include "crypto/SecretKey.h"
#include "net/HttpServer.h"
#include "net/TokenBucket.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <functional>
#include <optional>

namespace uw {

/// The HTTP API of userwallet-anchord (docs/ANCHORD.md): routes, the bearer token, the request
/// budget, the checks of every input, and the JSON of every answer. It reaches the anchoring core
/// only through Backend (AnchorRuntime's queued calls in the daemon), whose callbacks come back
/// on this object's thread.
class AnchorApi : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnchorApi)
public:
    /// What the API asks of the anchoring core; each callback runs on the API's thread.
    class Backend
    {
    public:
        virtual ~Backend() = default;
        /// Accepts digests (unique, 64 lowercase hex); answers once they are committed to disk.
        virtual void submit(const QStringList& digests, std::function<void(Result<QList<DigestStatus>>)> done) = 0;
        virtual void status(const QString& digest, std::function<void(std::optional<DigestStatus>)> done) = 0;
        /// The .ots proof; errors "not_found", "not_confirmed", or the node's.
        virtual void proof(const QString& digest, std::function<void(Result<QByteArray>)> done) = 0;
        virtual void snapshot(std::function<void(QJsonObject)> done) = 0;
    };

    struct Options
    {
        double requestsPerSecond = 50; ///< the token's sustained budget (routes other than health)
        double burst = 100;            ///< requests at once before the budget applies
        int maxDigestsPerRequest = 10'000;
    };

    /// The body cap the server must apply: 10,000 digests written out with room for blanks.
    static constexpr qsizetype kMaxBodyBytes = 1024 * 1024;

    AnchorApi(Backend& backend, SecretBytes token, Options options, QObject* parent = nullptr);

    /// Routes `server`'s requests here (its head check and its handler).
    void attach(net::HttpServer& server);

    /// Refusals decided on a request's head, before its body is read: 401, 404, 405, 415, 429.
    std::optional<net::HttpResponse> checkHead(const net::HttpRequest& head);
    void handle(const net::HttpRequest& request, net::HttpServer::Respond respond);

    /// A digest as the API takes it: 64 lowercase hex digits, like every hex field of the
    /// project's protocols ("AB" is refused, not folded); nullopt otherwise.
    static std::optional<QString> checkDigest(QStringView text);

private:
    enum class Route
    {
        None,
        Health,
        Status,
        Anchors,
        Anchor,
        Proof,
    };
    struct Match
    {
        Route route = Route::None;
        QByteArray digest; ///< the {digest} segment, as written
    };
    static Match match(const QByteArray& path);
    static QByteArray allowedMethod(Route route);
    bool authorized(const net::HttpRequest& head) const;

    void postAnchors(const net::HttpRequest& request, net::HttpServer::Respond respond);
    void getAnchor(const QString& digest, net::HttpServer::Respond respond);
    void getProof(const QString& digest, net::HttpServer::Respond respond);

    Backend& m_backend;
    QByteArray m_tokenHash; ///< SHA-256 of the token: compared in constant time, whatever the length given
    Options m_options;
    QElapsedTimer m_monotonic;
    net::TokenBucket m_budget;
};

} // namespace uw
