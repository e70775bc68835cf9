#pragma once

#include "anchor/AnchorRuntime.h"
#include "anchor/server/AnchorApi.h"

namespace uw {

/// AnchorApi's view of the anchoring core: AnchorRuntime's queued calls, whose callbacks come
/// back on the runtime owner's thread (the daemon's main thread, where the API lives).
class RuntimeBackend final : public AnchorApi::Backend
{
public:
    explicit RuntimeBackend(AnchorRuntime& runtime) : m_runtime(runtime) {}

    void submit(const QStringList& digests, std::function<void(Result<QList<DigestStatus>>)> done) override
    {
        m_runtime.submit(digests, std::move(done));
    }
    void status(const QString& digest, std::function<void(std::optional<DigestStatus>)> done) override
    {
        m_runtime.status(digest, std::move(done));
    }
    void proof(const QString& digest, std::function<void(Result<QByteArray>)> done) override
    {
        m_runtime.proof(digest, std::move(done));
    }
    void snapshot(std::function<void(QJsonObject)> done) override { m_runtime.snapshot(std::move(done)); }

private:
    AnchorRuntime& m_runtime;
};

} // namespace uw
