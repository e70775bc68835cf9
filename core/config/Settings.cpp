#include "config/Settings.h"

#include "config/RelayList.h"

#include <QFileInfo>
#include <QSettings>

namespace uw {

namespace {

Error badSetting(const QString& name, const QString& value, const QString& expected)
{
    return makeError(QStringLiteral("bad_setting"),
                     QStringLiteral("The setting %1 is malformed (\"%2\"): %3.").arg(name, value.left(200), expected));
}

/// A URL with one of `schemes` and a host, or an error naming `name`.
Result<QUrl> urlSetting(const QString& name, const QString& value, const QStringList& schemes)
{
    if (value.isEmpty())
        return QUrl();
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !schemes.contains(url.scheme()))
        return badSetting(name, value, QStringLiteral("expected a %1 URL").arg(schemes.join(QStringLiteral("/"))));
    return url;
}

} // namespace

Result<Settings> Settings::load(const QString& iniPath, const QProcessEnvironment& env)
{
    Settings s;
    QSettings ini(iniPath, QSettings::IniFormat);
    // Each source in turn: the file, then the environment (which wins).
    auto value = [&](const QString& iniKey, const QString& envName, QString& origin) -> QString {
        if (env.contains(envName)) {
            origin = envName;
            return env.value(envName).trimmed();
        }
        origin = QStringLiteral("%1 in %2").arg(iniKey, QFileInfo(iniPath).fileName());
        // QSettings reads an unquoted value with commas ("urls=ws://a:1, ws://b:2") as a list, which
        // toString() turns into nothing: read it back as the person wrote it.
        const QVariant v = ini.value(iniKey);
        return (v.typeId() == QMetaType::QStringList ? v.toStringList().join(QLatin1Char(',')) : v.toString())
            .trimmed();
    };
    QString origin;
    const QString relays = value(QStringLiteral("relays/urls"), QStringLiteral("RELAY_URLS"), origin);
    if (!relays.isEmpty()) {
        auto parsed = parseRelayList(relays);
        if (!parsed)
            return badSetting(origin, relays, parsed.error().message);
        s.relayUrls = *parsed;
    }
    struct IntSetting
    {
        const char* ini;
        const char* env;
        int min, max;
        int Settings::*field;
        const char* unit; ///< what the number counts, for the error
    };
    const IntSetting integers[] = {
        {"login/timeout_seconds", "USERWALLET_LOGIN_TIMEOUT", kMinLoginTimeoutSeconds, kMaxLoginTimeoutSeconds,
         &Settings::loginTimeoutSeconds, "seconds"},
        {"signing/max_validity_seconds", "USERWALLET_SIGN_MAX_VALIDITY", kMinCosignValiditySeconds,
         kMaxCosignValiditySeconds, &Settings::cosignMaxValiditySeconds, "seconds"},
        {"anchoring/round_interval_seconds", "ANCHOR_ROUND_INTERVAL", kMinRoundIntervalSeconds,
         kMaxRoundIntervalSeconds, &Settings::roundIntervalSeconds, "seconds"},
        {"anchoring/round_max_digests", "ANCHOR_ROUND_MAX_DIGESTS", kMinRoundMaxDigests, kMaxRoundMaxDigests,
         &Settings::roundMaxDigests, "digests"},
    };
    for (const IntSetting& def : integers) {
        const QString text = value(QString::fromLatin1(def.ini), QString::fromLatin1(def.env), origin);
        if (text.isEmpty())
            continue;
        bool ok = false;
        const int n = text.toInt(&ok);
        if (!ok || n < def.min || n > def.max)
            return badSetting(origin, text,
                              QStringLiteral("expected a number of %1 from %2 to %3")
                                  .arg(QLatin1String(def.unit))
                                  .arg(def.min)
                                  .arg(def.max));
        s.*def.field = n;
    }
    struct UrlSetting
    {
        const char* ini;
        const char* env;
        QStringList schemes;
        QUrl Settings::*field;
    };
    const QStringList http{QStringLiteral("http"), QStringLiteral("https")};
    const QStringList ws{QStringLiteral("ws"), QStringLiteral("wss")};
    const QStringList tcp{QStringLiteral("tcp")};
    const UrlSetting urls[] = {
        {"node/bootstrap_url", "BOOTSTRAP_URL", ws + http, &Settings::bootstrapUrl},
        {"node/storage_url", "STORAGE_URL", http, &Settings::storageUrl},
        {"node/signer_ws_url", "SIGNER_WS_URL", ws, &Settings::signerWsUrl},
        {"node/signer_base_url", "SIGNER_BASE_URL", http, &Settings::signerBaseUrl},
        {"bitcoin/rpc_url", "BITCOIN_RPC_URL", http, &Settings::bitcoinRpcUrl},
        {"bitcoin/zmq_hashblock", "BITCOIN_ZMQ_HASHBLOCK", tcp, &Settings::bitcoinZmqHashblock},
        {"bitcoin/zmq_rawtx", "BITCOIN_ZMQ_RAWTX", tcp, &Settings::bitcoinZmqRawtx},
        {"bitcoin/mempool_api_url", "MEMPOOL_API_URL", http, &Settings::mempoolApiUrl},
    };
    for (const UrlSetting& u : urls) {
        const QString v = value(QString::fromLatin1(u.ini), QString::fromLatin1(u.env), origin);
        auto parsed = urlSetting(origin, v, u.schemes);
        if (!parsed)
            return parsed.error();
        s.*(u.field) = *parsed;
    }
    s.bitcoinRpcCookie = value(QStringLiteral("bitcoin/rpc_cookie"), QStringLiteral("BITCOIN_RPC_COOKIE"), origin);
    if (const QString net = value(QStringLiteral("bitcoin/network"), QStringLiteral("BITCOIN_NETWORK"), origin);
        !net.isEmpty()) {
        static const QStringList known{QStringLiteral("signet"),  QStringLiteral("testnet"), QStringLiteral("testnet4"),
                                       QStringLiteral("regtest"), QStringLiteral("main"),    QStringLiteral("mainnet")};
        if (!known.contains(net))
            return badSetting(origin, net, QStringLiteral("expected signet, testnet or regtest"));
        s.bitcoinNetwork = net;
    }
    // Real coins only on a plain yes: QVariant would read any other word ("no", "off", a typo) as true.
    if (const QString allow = ini.value(QStringLiteral("bitcoin/allow_mainnet")).toString().trimmed();
        !allow.isEmpty()) {
        if (allow != QLatin1String("true") && allow != QLatin1String("false"))
            return badSetting(QStringLiteral("bitcoin/allow_mainnet in %1").arg(QFileInfo(iniPath).fileName()), allow,
                              QStringLiteral("expected true or false"));
        s.allowMainnet = allow == QLatin1String("true");
    }
    if (const QString type =
            value(QStringLiteral("bitcoin/address_type"), QStringLiteral("ANCHOR_ADDRESS_TYPE"), origin);
        !type.isEmpty()) {
        if (type != QLatin1String("p2wpkh") && type != QLatin1String("p2tr"))
            return badSetting(origin, type, QStringLiteral("expected p2wpkh or p2tr"));
        s.addressType = type;
    }
    if (const QString floor =
            value(QStringLiteral("bitcoin/fee_floor_sat_vb"), QStringLiteral("ANCHOR_FEE_FLOOR"), origin);
        !floor.isEmpty()) {
        bool ok = false;
        s.feeFloorSatPerVb = floor.toDouble(&ok);
        if (!ok || s.feeFloorSatPerVb < 1 || s.feeFloorSatPerVb > 1000)
            return badSetting(origin, floor, QStringLiteral("expected a fee rate from 1 to 1000 sat/vB"));
    }
    const int services = ini.beginReadArray(QStringLiteral("known_services"));
    for (int i = 0; i < services; ++i) {
        ini.setArrayIndex(i);
        // QSettings numbers the entries from 1 in the file.
        auto key = [&](const char* field) {
            return QStringLiteral("known_services/%1/%2 in %3")
                .arg(i + 1)
                .arg(QLatin1String(field), QFileInfo(iniPath).fileName());
        };
        KnownService k{ini.value(QStringLiteral("name")).toString().trimmed(),
                       ini.value(QStringLiteral("service")).toString().trimmed(),
                       {},
                       {}};
        if (k.name.isEmpty())
            return badSetting(key("name"), k.name, QStringLiteral("expected the name shown to the user"));
        const QString request = ini.value(QStringLiteral("request")).toString().trimmed();
        if (!request.isEmpty()) {
            // The login request's address: the service says who signs (docs/PROTOCOL.md).
            auto url = urlSetting(key("request"), request, {QStringLiteral("http"), QStringLiteral("https")});
            if (!url)
                return url.error();
            k.request = *url;
            if (!k.service.isEmpty() || !ini.value(QStringLiteral("callback")).toString().trimmed().isEmpty())
                return badSetting(key("request"), request,
                                  QStringLiteral("expected either a request or a service and a callback, not both"));
            if (!k.check())
                return badSetting(key("request"), request,
                                  QStringLiteral("expected an https:// URL, or http:// on this machine"));
            s.knownServices.append(k);
            continue;
        }
        if (k.service.isEmpty())
            return badSetting(key("service"), k.service, QStringLiteral("expected the service's id"));
        const QString callback = ini.value(QStringLiteral("callback")).toString().trimmed();
        auto url = urlSetting(key("callback"), callback, {QStringLiteral("http"), QStringLiteral("https")});
        if (!url)
            return url.error();
        if (url->isEmpty())
            return badSetting(key("callback"), callback, QStringLiteral("expected the URL that receives the proof"));
        k.callback = *url;
        s.knownServices.append(k);
    }
    ini.endArray();
    s.language = ini.value(QStringLiteral("ui/language")).toString();
    if (!s.language.isEmpty() && s.language != QLatin1String("fr") && s.language != QLatin1String("en"))
        return badSetting(QStringLiteral("ui/language"), s.language, QStringLiteral("expected fr or en"));
    return s;
}

Result<void> Settings::save(const QString& iniPath) const
{
    QSettings ini(iniPath, QSettings::IniFormat);
    ini.setValue(QStringLiteral("relays/urls"), relayUrls.join(QLatin1Char(',')));
    ini.setValue(QStringLiteral("login/timeout_seconds"), loginTimeoutSeconds);
    ini.setValue(QStringLiteral("signing/max_validity_seconds"), cosignMaxValiditySeconds);
    ini.setValue(QStringLiteral("anchoring/round_interval_seconds"), roundIntervalSeconds);
    ini.setValue(QStringLiteral("anchoring/round_max_digests"), roundMaxDigests);
    ini.setValue(QStringLiteral("ui/language"), language);
    // The whole list, in its order: entries removed on the settings screen leave the file too.
    ini.remove(QStringLiteral("known_services"));
    ini.beginWriteArray(QStringLiteral("known_services"), int(knownServices.size()));
    for (int i = 0; i < knownServices.size(); ++i) {
        const KnownService& k = knownServices.at(i);
        ini.setArrayIndex(i);
        ini.setValue(QStringLiteral("name"), k.name);
        if (k.isRequest()) {
            ini.setValue(QStringLiteral("request"), k.request.toString());
        } else {
            ini.setValue(QStringLiteral("service"), k.service);
            ini.setValue(QStringLiteral("callback"), k.callback.toString());
        }
    }
    ini.endArray();
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot write the settings to %1.").arg(iniPath));
    return {};
}

} // namespace uw
