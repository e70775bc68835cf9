// The HTTP/1.1 request parser of the daemons (core/net/HttpRequestParser, userwallet-anchord's
// API): the bytes as one client would send them, pipelined requests included, with small limits.
// Invariants: the parser never takes more than wanted() allows (memory bounded by the limits);
// each request's body is exactly its Content-Length, within the body cap, its head holds a Host
// in HTTP/1.1 and a path starting with "/"; and the outcome does not depend on how the bytes are
// cut: fed all at once or in pieces whose size the input's first byte sets, the same requests
// and the same refusal come out.
#include "FuzzSupport.h"
#include "net/HttpRequestParser.h"

using namespace uw;
using namespace uw::net;

namespace {

struct Outcome
{
    QList<QByteArray> requests; ///< method, target and body of each
    int errorStatus = 0;
};

Outcome run(const HttpLimits& limits, const QByteArray& bytes, qsizetype piece)
{
    HttpRequestParser parser(limits);
    Outcome out;
    qsizetype at = 0;
    for (int guard = 0; guard < 100000; ++guard) {
        const qsizetype want = parser.wanted();
        if (want < 0)
            fuzz::fail("fuzz_http_request", "wanted() is negative");
        const qsizetype n = std::min({want, piece, bytes.size() - at});
        if (n > 0) {
            parser.feed(bytes.mid(at, n));
            at += n;
        }
        switch (parser.next()) {
        case HttpRequestParser::Step::NeedMore:
            if (n == 0)
                return out; // the input is used up (or nothing more may be taken)
            break;
        case HttpRequestParser::Step::Head:
            break;
        case HttpRequestParser::Step::Error:
            out.errorStatus = parser.error().status;
            return out;
        case HttpRequestParser::Step::Request: {
            const HttpRequest r = parser.takeRequest();
            if (r.body.size() != r.contentLength || r.body.size() > limits.maxBodyBytes)
                fuzz::fail("fuzz_http_request", "a body is not its Content-Length within the cap");
            if (!r.path.startsWith('/') || (r.minorVersion == 1 && r.header("host").isNull()))
                fuzz::fail("fuzz_http_request", "a request without its path or Host was accepted");
            out.requests.append(r.method + ' ' + r.target + ' ' + r.body);
            break;
        }
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    HttpLimits limits;
    limits.maxHeaderBytes = 1024;
    limits.maxHeaderFields = 16;
    limits.maxBodyBytes = 4096;
    const qsizetype piece = 1 + data[0] % 17;
    const QByteArray bytes = fuzz::bytes(data + 1, size - 1);
    const Outcome whole = run(limits, bytes, bytes.size() + 1);
    const Outcome cut = run(limits, bytes, piece);
    if (whole.requests != cut.requests || whole.errorStatus != cut.errorStatus)
        fuzz::fail("fuzz_http_request", "the outcome depends on how the bytes are cut",
                   QStringLiteral("%1 vs %2 requests, status %3 vs %4")
                       .arg(whole.requests.size())
                       .arg(cut.requests.size())
                       .arg(whole.errorStatus)
                       .arg(cut.errorStatus));
    return 0;
}
