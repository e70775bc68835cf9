// Key files (core/crypto/KeyFile): a *.key in the profile's keys/ folder is read before anything
// else is known about it. KeyFile::readHeader (the parse and its bounds) runs on every input;
// KeyFile::open, which derives a key with Argon2id from the header's parameters, runs only when
// those are the cheapest libsodium allows (1 pass, 8 KiB), as read here before calling it: a fuzzer
// must not spend seconds per input in the derivation the parser bounds to 4x the writer's cost.
// The seed files are sealed with those cheap parameters and the passphrase "fuzz".
#include "FuzzSupport.h"
#include "crypto/KeyFile.h"

#include <sodium.h>

using namespace uw;

namespace {

/// Would KeyFile::open derive cheaply? Reads the two numbers as KeyFile's parser does.
bool cheapToOpen(const QByteArray& contents)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(contents, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const double ops = doc.object().value(QStringLiteral("opslimit")).toDouble();
    const double mem = doc.object().value(QStringLiteral("memlimit")).toDouble();
    return ops < double(crypto_pwhash_OPSLIMIT_MIN) + 1 && mem < double(crypto_pwhash_MEMLIMIT_MIN) * 2;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (qint64(size) > KeyFile::kMaxBytes)
        return 0; // KeyFile::read never returns more
    const QByteArray contents = fuzz::bytes(data, size);
    auto header = KeyFile::readHeader(contents);
    if (!header || !cheapToOpen(contents))
        return 0;
    auto secret = KeyFile::open(contents, QByteArrayLiteral("fuzz"));
    (void)secret;
    return 0;
}
