#include "models/IdentityModel.h"

#include "identity/KeyStore.h"
#include "models/Background.h"

#include <cmath>

namespace uw::ui {

namespace {

struct Outcome
{
    std::optional<MemberDocument> member;
    std::shared_ptr<const KeyRing> keys;
    QString error;
};

} // namespace

IdentityModel::IdentityModel(Profile profile, QObject* parent) : QObject(parent), m_profile(std::move(profile))
{
    qRegisterMetaType<MemberDocument>();
    qRegisterMetaType<std::shared_ptr<const KeyRing>>();
}

int IdentityModel::strength(const QString& p)
{
    if (p.isEmpty())
        return 0;
    bool lower = false, upper = false, digit = false, other = false;
    for (QChar c : p) {
        lower = lower || c.isLower();
        upper = upper || c.isUpper();
        digit = digit || c.isDigit();
        other = other || !(c.isLetterOrNumber());
    }
    const int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
    const double bits = p.size() * std::log2(std::max(pool, 2));
    return bits < 28 ? 1 : bits < 45 ? 2 : bits < 70 ? 3 : 4;
}

template <typename Work> static void runIdentityWork(IdentityModel* model, Work work)
{
    runInBackground(model, std::move(work), [model](const Outcome& o) {
        if (o.member)
            Q_EMIT model->ready(*o.member, o.keys);
        else
            Q_EMIT model->failed(o.error);
    });
}

void IdentityModel::create(const QString& memberId, const QString& name, int cardinality, QString passphrase)
{
    auto secret = std::make_shared<SecretBytes>(passphrase.toUtf8());
    wipeString(passphrase);
    runIdentityWork(this, [profile = m_profile, memberId, name, cardinality, secret]() -> Outcome {
        MemberDocument doc{memberId, name, cardinality, {}};
        if (auto checked = MemberDocument::fromJson(doc.toJson()); !checked)
            return {std::nullopt, nullptr, checked.error().message};
        if (profile.isInitialized())
            return {std::nullopt, nullptr, QObject::tr("This profile already holds an identity.")};
        if (auto ok = profile.ensureExists(); !ok)
            return {std::nullopt, nullptr, ok.error().message};
        KeyStore store(profile.keysDir());
        auto pair = store.createPair(secret->bytes());
        if (!pair)
            return {std::nullopt, nullptr, pair.error().message};
        doc.pairs.append(*pair);
        if (auto ok = doc.save(profile.memberFile()); !ok)
            return {std::nullopt, nullptr, ok.error().message};
        auto ring = store.unlock(secret->bytes());
        if (!ring)
            return {std::nullopt, nullptr, ring.error().message};
        return {doc, std::make_shared<KeyRing>(std::move(*ring)), {}};
    });
}

void IdentityModel::unlock(QString passphrase)
{
    auto secret = std::make_shared<SecretBytes>(passphrase.toUtf8());
    wipeString(passphrase);
    runIdentityWork(this, [profile = m_profile, secret]() -> Outcome {
        auto doc = MemberDocument::load(profile.memberFile());
        if (!doc)
            return {std::nullopt, nullptr, doc.error().message};
        auto ring = KeyStore(profile.keysDir()).unlock(secret->bytes());
        if (!ring)
            return {std::nullopt, nullptr,
                    ring.error().code == QLatin1String("wrong_passphrase") ? QObject::tr("Wrong passphrase.")
                                                                           : ring.error().message};
        return {*doc, std::make_shared<KeyRing>(std::move(*ring)), {}};
    });
}

} // namespace uw::ui
