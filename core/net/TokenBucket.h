#pragma once

#include <QtGlobal>
#include <algorithm>

namespace uw::net {

/// A request budget: `burst` requests at once, refilled at `ratePerSecond`. Time is given by the
/// caller in milliseconds of a monotonic clock (QElapsedTimer), so that a test can move it.
class TokenBucket
{
public:
    TokenBucket(double ratePerSecond, double burst, qint64 nowMs)
        : m_rate(ratePerSecond), m_burst(burst), m_tokens(burst), m_lastMs(nowMs)
    {}

    /// Takes one token; false when the budget is spent.
    bool take(qint64 nowMs)
    {
        refill(nowMs);
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

    /// Whole seconds until a token is back (at least 1), for Retry-After.
    qint64 secondsUntilNext(qint64 nowMs)
    {
        refill(nowMs);
        if (m_tokens >= 1.0 || m_rate <= 0)
            return 1;
        return std::max<qint64>(1, qint64((1.0 - m_tokens) / m_rate + 0.999));
    }

private:
    void refill(qint64 nowMs)
    {
        m_tokens = std::min(m_burst, m_tokens + double(std::max<qint64>(0, nowMs - m_lastMs)) / 1000.0 * m_rate);
        m_lastMs = std::max(m_lastMs, nowMs);
    }
    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastMs;
};

} // namespace uw::net
