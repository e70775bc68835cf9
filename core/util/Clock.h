#pragma once

#include <QDateTime>
#include <cstdint>

namespace uw {

/// Wall-clock time, injectable so that tests can move time without sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    /// Seconds since the Unix epoch.
    virtual std::int64_t nowSeconds() const = 0;
};

class SystemClock final : public Clock
{
public:
    std::int64_t nowSeconds() const override { return QDateTime::currentSecsSinceEpoch(); }

    /// The process-wide system clock, for the entry points that build the object graph.
    static const Clock& instance()
    {
        static const SystemClock clock;
        return clock;
    }
};

/// A clock that only moves when told to; used by tests and by simulations.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(std::int64_t now = 1'700'000'000) : m_now(now) {}
    std::int64_t nowSeconds() const override { return m_now; }
    void set(std::int64_t now) { m_now = now; }
    void advance(std::int64_t seconds) { m_now += seconds; }

private:
    std::int64_t m_now;
};

} // namespace uw
