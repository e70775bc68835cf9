// Bitcoin Core's replies (core/chain/BitcoinCoreRpc): the two parsers reachable without a network
// round trip, BitcoinCoreRpc::parseBlock (getblock verbosity 2, what the chain follower reads) and
// BitcoinCoreRpc::parseScan (scantxoutset). The JSON-RPC envelope, the other RPC results and every
// Esplora reply are parsed inside QNetworkReply callbacks (BitcoinCoreRpc::call,
// EsploraBackend::finish and each request's lambda) and are not reachable from here.
// The input is a JSON object: the reply's "result", or the whole reply whose "result" is taken.
#include "FuzzSupport.h"
#include "chain/BitcoinCoreRpc.h"

using namespace uw;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // BitcoinCoreRpc::call reads the body with QJsonDocument::fromJson and hands on "result".
    const QJsonObject reply = QJsonDocument::fromJson(fuzz::bytes(data, size)).object();
    const QJsonObject result =
        reply.value(QStringLiteral("result")).isObject() ? reply.value(QStringLiteral("result")).toObject() : reply;
    if (auto block = BitcoinCoreRpc::parseBlock(result)) {
        if (block->hash.size() != 64 || block->height < 0)
            fuzz::fail("fuzz_rpc_reply", "parseBlock accepted a block without hash or height");
    }
    const QByteArray script = QByteArray::fromHex("0014") + QByteArray(20, '\x11');
    for (const Utxo& u : BitcoinCoreRpc::parseScan(result, script))
        (void)u;
    return 0;
}
