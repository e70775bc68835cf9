#include "anchor/server/AnchorApi.h"

#include "chain/ChainError.h"
#include "crypto/Bytes.h"
#include "crypto/Sha256.h"

#include "json/CanonicalJson.h"
#include <QHash>
#include <QJsonArray>
#include <sodium.h>

namespace uw {

using net::HttpRequest;
using net::HttpResponse;
using net::HttpServer;

namespace {

HttpResponse error(int status, const char* code, const QString& message)
{
    return HttpResponse::error(status, QString::fromLatin1(code), message);
}

QJsonObject statusJson(const DigestStatus& st)
{
    QJsonObject o{{QStringLiteral("digest"), st.digest},
                  {QStringLiteral("state"), anchorStateToString(st.state)},
                  {QStringLiteral("round"), st.round},
                  {QStringLiteral("confirmations"), st.confirmations}};
    if (!st.txid.isEmpty())
        o.insert(QStringLiteral("txid"), st.txid);
    if (!st.blockHash.isEmpty())
        o.insert(QStringLiteral("block_hash"), st.blockHash);
    if (st.height)
        o.insert(QStringLiteral("height"), *st.height);
    if (!st.error.isEmpty())
        o.insert(QStringLiteral("error"), st.error);
    return o;
}

/// A failure of the anchoring core as an answer: the node's unavailability is 503, the rest 500.
HttpResponse coreError(const Error& e)
{
    if (e.code == QLatin1String("not_started"))
        return error(503, "not_started", e.message);
    switch (classifyChainError(e)) {
    case ChainError::Unreachable:
    case ChainError::Warmup:
    case ChainError::Auth:
        return error(503, "node_unreachable", QStringLiteral("The Bitcoin node cannot be reached: %1").arg(e.message));
    default:
        return error(500, "internal", e.message);
    }
}

} // namespace

AnchorApi::AnchorApi(Backend& backend, SecretBytes token, Options options, QObject* parent)
    : QObject(parent), m_backend(backend), m_options(options), m_budget(options.requestsPerSecond, options.burst, 0)
{
    const Bytes32 h = Sha256::hash(QByteArrayView(token.bytes()));
    m_tokenHash = QByteArray(reinterpret_cast<const char*>(h.data()), qsizetype(h.size()));
    m_monotonic.start();
}

void AnchorApi::attach(net::HttpServer& server)
{
    server.setHeadCheck([this](const HttpRequest& head) { return checkHead(head); });
    server.setHandler([this](const HttpRequest& r, HttpServer::Respond respond) { handle(r, std::move(respond)); });
}

std::optional<QString> AnchorApi::checkDigest(QStringView text)
{
    if (!isLowerHex(text, 64))
        return std::nullopt;
    return text.toString();
}

AnchorApi::Match AnchorApi::match(const QByteArray& path)
{
    if (path == "/v1/health")
        return {Route::Health, {}};
    if (path == "/v1/status")
        return {Route::Status, {}};
    if (path == "/v1/anchors")
        return {Route::Anchors, {}};
    static const QByteArray prefix = "/v1/anchors/";
    if (!path.startsWith(prefix))
        return {};
    const QByteArray rest = path.mid(prefix.size());
    const qsizetype slash = rest.indexOf('/');
    if (slash < 0)
        return rest.isEmpty() ? Match{} : Match{Route::Anchor, rest};
    if (rest.mid(slash) == "/proof" && slash > 0)
        return {Route::Proof, rest.left(slash)};
    return {};
}

QByteArray AnchorApi::allowedMethod(Route route)
{
    return route == Route::Anchors ? QByteArrayLiteral("POST") : QByteArrayLiteral("GET");
}

bool AnchorApi::authorized(const HttpRequest& head) const
{
    const QByteArray value = head.header("authorization");
    // RFC 6750 §2.1: "Bearer" (any case), one space, the token.
    if (value.size() < 8 || value.left(7).toLower() != "bearer ")
        return false;
    const Bytes32 given = Sha256::hash(QByteArrayView(value).sliced(7));
    return sodium_memcmp(given.data(), m_tokenHash.constData(), given.size()) == 0;
}

std::optional<HttpResponse> AnchorApi::checkHead(const HttpRequest& head)
{
    const Match m = match(head.path);
    if (m.route == Route::Health) {
        if (head.method == "GET")
            return std::nullopt;
        auto r = error(405, "method_not_allowed", QStringLiteral("/v1/health takes only GET."));
        r.addHeader("Allow", "GET");
        return r;
    }
    // Everything else needs the token, asked before anything about the route is said.
    if (head.header("authorization").isNull()) {
        auto r = error(401, "missing_token", QStringLiteral("Send the API token: Authorization: Bearer TOKEN."));
        r.addHeader("WWW-Authenticate", "Bearer");
        return r;
    }
    if (!authorized(head)) {
        auto r = error(401, "bad_token", QStringLiteral("The API token is wrong."));
        r.addHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return r;
    }
    if (m.route == Route::None)
        return error(404, "not_found", QStringLiteral("No route %1.").arg(QString::fromLatin1(head.path.left(200))));
    if (head.method != allowedMethod(m.route)) {
        auto r = error(405, "method_not_allowed",
                       QStringLiteral("%1 takes only %2.")
                           .arg(QString::fromLatin1(head.path.left(200)), QString::fromLatin1(allowedMethod(m.route))));
        r.addHeader("Allow", allowedMethod(m.route));
        return r;
    }
    if (!m_budget.take(m_monotonic.elapsed())) {
        const qint64 wait = m_budget.secondsUntilNext(m_monotonic.elapsed());
        auto r = error(429, "rate_limited",
                       QStringLiteral("Too many requests for this token: %1 per second (bursts of %2); retry in %3 s.")
                           .arg(m_options.requestsPerSecond)
                           .arg(m_options.burst)
                           .arg(wait));
        r.addHeader("Retry-After", QByteArray::number(wait));
        return r;
    }
    if (m.route == Route::Anchors) {
        const QByteArray type = head.header("content-type");
        const qsizetype semicolon = type.indexOf(';');
        const QByteArray mediaType = (semicolon < 0 ? type : type.left(semicolon)).trimmed().toLower();
        if (mediaType != "application/json")
            return error(415, "unsupported_media_type", QStringLiteral("The body must be application/json."));
    }
    return std::nullopt;
}

void AnchorApi::handle(const HttpRequest& request, HttpServer::Respond respond)
{
    const Match m = match(request.path);
    switch (m.route) {
    case Route::Health:
        return respond(HttpResponse::json(200, {{QStringLiteral("status"), QStringLiteral("ok")}}));
    case Route::Status:
        return m_backend.snapshot([respond](QJsonObject snapshot) { respond(HttpResponse::json(200, snapshot)); });
    case Route::Anchors:
        return postAnchors(request, std::move(respond));
    case Route::Anchor:
    case Route::Proof: {
        const auto digest = checkDigest(QString::fromLatin1(m.digest));
        if (!digest)
            return respond(error(400, "bad_digest",
                                 QStringLiteral("\"%1\" is not a SHA-256 digest (64 lowercase hex digits).")
                                     .arg(QString::fromLatin1(m.digest.left(80)))));
        return m.route == Route::Anchor ? getAnchor(*digest, std::move(respond))
                                        : getProof(*digest, std::move(respond));
    }
    case Route::None:
        break;
    }
    respond(error(404, "not_found", QStringLiteral("No route %1.").arg(QString::fromLatin1(request.path.left(200)))));
}

void AnchorApi::postAnchors(const HttpRequest& request, HttpServer::Respond respond)
{
    auto parsed = json::parse(request.body, kMaxBodyBytes);
    if (!parsed)
        return respond(
            error(400, "bad_json", QStringLiteral("The body is not valid JSON: %1").arg(parsed.error().message)));
    if (!parsed->isObject())
        return respond(error(400, "bad_body", QStringLiteral("The body must be an object {\"digests\": [...]}.")));
    const QJsonObject body = parsed->toObject();
    for (auto it = body.begin(); it != body.end(); ++it)
        if (it.key() != QLatin1String("digests"))
            return respond(error(
                400, "unknown_field",
                QStringLiteral("Unknown member \"%1\": the body is {\"digests\": [...]}.").arg(it.key().left(80))));
    const QJsonValue list = body.value(QStringLiteral("digests"));
    if (!list.isArray())
        return respond(error(400, "bad_body", QStringLiteral("\"digests\" must be an array of digests.")));
    const QJsonArray digests = list.toArray();
    if (digests.isEmpty())
        return respond(
            error(400, "no_digests",
                  QStringLiteral("\"digests\" is empty: give 1 to %1 digests.").arg(m_options.maxDigestsPerRequest)));
    if (digests.size() > m_options.maxDigestsPerRequest)
        return respond(error(400, "too_many_digests",
                             QStringLiteral("%1 digests in one request; at most %2.")
                                 .arg(digests.size())
                                 .arg(m_options.maxDigestsPerRequest)));
    QStringList all;
    QStringList unique;
    all.reserve(digests.size());
    QSet<QString> seen;
    for (qsizetype i = 0; i < digests.size(); ++i) {
        const QJsonValue v = digests.at(i);
        const auto d = v.isString() ? checkDigest(v.toString()) : std::nullopt;
        if (!d)
            return respond(
                error(400, "bad_digest",
                      QStringLiteral("digests[%1] is not a SHA-256 digest (64 lowercase hex digits).").arg(i)));
        all.append(*d);
        if (!seen.contains(*d)) {
            seen.insert(*d);
            unique.append(*d);
        }
    }
    // Each digest once to the core; each given one answered, duplicates included, in their order.
    m_backend.submit(unique, [respond, all](Result<QList<DigestStatus>> r) {
        if (!r)
            return respond(coreError(r.error()));
        QHash<QString, const DigestStatus*> byDigest;
        for (const DigestStatus& st : std::as_const(*r))
            byDigest.insert(st.digest, &st);
        QJsonArray anchors;
        for (const QString& d : all) {
            const DigestStatus* st = byDigest.value(d);
            if (!st)
                return respond(error(500, "internal", QStringLiteral("The core did not answer for digest %1.").arg(d)));
            anchors.append(QJsonObject{{QStringLiteral("digest"), d},
                                       {QStringLiteral("state"), anchorStateToString(st->state)},
                                       {QStringLiteral("round"), st->round}});
        }
        respond(HttpResponse::json(202, {{QStringLiteral("anchors"), anchors}}));
    });
}

void AnchorApi::getAnchor(const QString& digest, HttpServer::Respond respond)
{
    m_backend.status(digest, [respond, digest](std::optional<DigestStatus> st) {
        if (!st)
            return respond(
                error(404, "unknown_digest", QStringLiteral("Digest %1 was never accepted here.").arg(digest)));
        respond(HttpResponse::json(200, statusJson(*st)));
    });
}

void AnchorApi::getProof(const QString& digest, HttpServer::Respond respond)
{
    m_backend.proof(digest, [respond, digest](Result<QByteArray> r) {
        if (!r && r.error().code == QLatin1String("not_found"))
            return respond(error(404, "unknown_digest", r.error().message));
        if (!r && r.error().code == QLatin1String("not_confirmed"))
            return respond(error(409, "not_confirmed", r.error().message));
        if (!r)
            return respond(coreError(r.error()));
        HttpResponse out;
        out.contentType = "application/octet-stream";
        out.addHeader("Content-Disposition", "attachment; filename=\"" + digest.toLatin1() + ".ots\"");
        out.body = *r;
        respond(std::move(out));
    });
}

} // namespace uw
