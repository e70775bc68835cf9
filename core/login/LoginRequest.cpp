#include "login/LoginRequest.h"

#include "login/ProofVerifier.h"

#include "json/CanonicalJson.h"

namespace uw {

namespace {

Error invalid(const QString& why)
{
    return makeError(QStringLiteral("invalid_request"), QStringLiteral("Invalid login request: %1").arg(why));
}

Error mismatch(const QString& why)
{
    return makeError(QStringLiteral("expectation_mismatch"),
                     QStringLiteral("The login is not the one the service expects: %1").arg(why));
}

} // namespace

Result<LoginRequest> LoginRequest::fromJson(const QJsonObject& o)
{
    static const QStringList required{QStringLiteral("v"),        QStringLiteral("type"),    QStringLiteral("service"),
                                      QStringLiteral("callback"), QStringLiteral("members"), QStringLiteral("strict")};
    for (const QString& key : required)
        if (!o.contains(key))
            return invalid(QStringLiteral("\"%1\" is missing").arg(key));
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!required.contains(it.key()) && it.key() != QLatin1String("ttl") && it.key() != QLatin1String("expires_at"))
            return invalid(QStringLiteral("unknown field \"%1\"").arg(it.key().left(64)));
    if (json::exactInteger(o.value(QStringLiteral("v"))) != std::optional<std::int64_t>(kVersion))
        return invalid(QStringLiteral("unsupported version (v must be 1)"));
    if (o.value(QStringLiteral("type")) != QJsonValue(QStringLiteral("login-request")))
        return invalid(QStringLiteral("type must be \"login-request\""));

    LoginRequest r;
    // Service and callback obey the login message's rules: check them as a message would.
    LoginMessage probe;
    probe.service = o.value(QStringLiteral("service")).toString();
    probe.callback = o.value(QStringLiteral("callback")).toString();
    if (!o.value(QStringLiteral("service")).isString() || probe.service.isEmpty() || probe.service.size() > 256 ||
        !validate::identifierProblem(probe.service).isEmpty())
        return invalid(QStringLiteral("service must be 1 to 256 characters, no control or invisible characters, no "
                                      "mix of lookalike scripts"));
    if (!o.value(QStringLiteral("callback")).isString())
        return invalid(QStringLiteral("callback must be a string"));
    if (auto ok = validate::callbackUrl(probe.callback); !ok)
        return invalid(ok.error().message);
    r.service = probe.service;
    r.callback = probe.callback;
    auto members = LoginMessage::parseRequestMembers(o.value(QStringLiteral("members")));
    if (!members)
        return members.error();
    r.members = std::move(*members);
    if (!o.value(QStringLiteral("strict")).isBool())
        return invalid(QStringLiteral("strict must be true or false"));
    r.strict = o.value(QStringLiteral("strict")).toBool();
    if (o.contains(QStringLiteral("ttl"))) {
        const auto ttl = json::exactInteger(o.value(QStringLiteral("ttl")));
        if (!ttl || *ttl < 1 || *ttl > ProofVerifier::kMaxValiditySeconds)
            return invalid(QStringLiteral("ttl must be an integer from 1 to %1 (seconds)")
                               .arg(ProofVerifier::kMaxValiditySeconds));
        r.ttlSeconds = int(*ttl);
    }
    if (o.contains(QStringLiteral("expires_at"))) {
        const auto expires = json::exactInteger(o.value(QStringLiteral("expires_at")));
        if (!expires || *expires < 0)
            return invalid(QStringLiteral("expires_at must be an integer (Unix seconds)"));
        r.expiresAt = *expires;
    }
    return r;
}

QJsonObject LoginRequest::toJson() const
{
    LoginMessage shape;
    shape.members = members;
    QJsonObject o{{QStringLiteral("v"), kVersion},
                  {QStringLiteral("type"), QStringLiteral("login-request")},
                  {QStringLiteral("service"), service},
                  {QStringLiteral("callback"), callback},
                  {QStringLiteral("members"), shape.toJson().value(QStringLiteral("members"))},
                  {QStringLiteral("strict"), strict},
                  {QStringLiteral("ttl"), ttlSeconds}};
    if (expiresAt)
        o.insert(QStringLiteral("expires_at"), qint64(*expiresAt));
    return o;
}

Result<LoginRequest> LoginRequest::fromBytes(const QByteArray& bytes)
{
    auto parsed = json::parse(bytes, kMaxBytes);
    if (!parsed)
        return invalid(parsed.error().message);
    if (!parsed->isObject())
        return invalid(QStringLiteral("it is not a JSON object"));
    return fromJson(parsed->toObject());
}

Result<void> LoginRequest::check(const LoginMessage& message) const
{
    if (message.service != service)
        return mismatch(
            QStringLiteral("it is for service \"%1\", not \"%2\".").arg(message.service.left(256), service));
    if (message.callback != callback)
        return mismatch(QStringLiteral("its callback is %1, not %2.").arg(message.callback.left(2048), callback));
    if (strict && !message.strict)
        return mismatch(QStringLiteral("it is not strict."));
    if (message.expiresAt - message.createdAt > ttlSeconds)
        return mismatch(QStringLiteral("it stays valid for %1 s; the service accepts at most %2 s.")
                            .arg(message.expiresAt - message.createdAt)
                            .arg(ttlSeconds));
    if (expiresAt && message.createdAt > *expiresAt)
        return mismatch(QStringLiteral("it was created at %1, after the request expired (%2).")
                            .arg(message.createdAt)
                            .arg(*expiresAt));
    for (const MemberRequirement& asked : message.members) {
        bool known = false;
        for (const MemberRequirement& m : members)
            known = known || m.id == asked.id;
        if (!known)
            return mismatch(QStringLiteral("it names member \"%1\", whom the service does not expect.").arg(asked.id));
    }
    for (const MemberRequirement& expected : members) {
        const MemberRequirement* asked = message.member(expected.id);
        if (!asked)
            return mismatch(QStringLiteral("member \"%1\" is missing.").arg(expected.id));
        if (asked->cardinaliteMinimale < expected.cardinaliteMinimale)
            return mismatch(QStringLiteral("member \"%1\" needs %2 signatures, not %3.")
                                .arg(expected.id)
                                .arg(expected.cardinaliteMinimale)
                                .arg(asked->cardinaliteMinimale));
        for (const PairRef& pair : asked->pairs)
            if (!expected.pairs.contains(pair))
                return mismatch(QStringLiteral("device %1 (key %2) is not one of member \"%3\"'s devices on record.")
                                    .arg(pair.pair, pair.pubkey, expected.id));
        for (const QString& dependency : expected.dependsOn)
            if (!asked->dependsOn.contains(dependency))
                return mismatch(QStringLiteral("member \"%1\" must depend on \"%2\".").arg(expected.id, dependency));
    }
    return {};
}

} // namespace uw
