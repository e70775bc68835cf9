#pragma once

#include <QDateTime>
#include <QElapsedTimer>
#include <cstdint>

namespace uw {

/// Wall-clock time, injectable so that tests can move time without sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    /// Seconds since the Unix epoch.
    virtual std::int64_t nowSeconds() const = 0;
    /// Milliseconds from an arbitrary origin, never going back: for rates and budgets, which a
    /// change of the wall clock must not refill or drain.
    virtual std::int64_t monotonicMs() const = 0;
};

class SystemClock final : public Clock
{
public:
    std::int64_t nowSeconds() const override { return QDateTime::currentSecsSinceEpoch(); }
    std::int64_t monotonicMs() const override
    {
        static const QElapsedTimer since = [] {
            QElapsedTimer t;
            t.start();
            return t;
        }();
        return since.elapsed();
    }

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
    /// Moves with set() and advance() (whole seconds) and with advanceMs().
    std::int64_t monotonicMs() const override { return m_now * 1000 + m_extraMs; }
    void set(std::int64_t now) { m_now = now; }
    void advance(std::int64_t seconds) { m_now += seconds; }
    /// Moves the monotonic clock alone, by less than a second if need be.
    void advanceMs(std::int64_t ms) { m_extraMs += ms; }

private:
    std::int64_t m_now;
    std::int64_t m_extraMs = 0;
};

} // namespace uw
