#pragma once

#include "login/LoginRequest.h"
#include "util/Result.h"

#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;

namespace uw {

/// Fetches a service's login request (`userwallet://login?request=URL`, `login --request URL`) and
/// parses it. The service is a stranger until the request is read, so the fetch is bounded: only
/// https://, or http:// to this machine; at most LoginRequest::kMaxBytes read (the transfer is
/// abandoned the moment it passes, nothing more is buffered); the whole exchange within a time
/// limit however slowly the bytes trickle; a redirect is followed only to an address that passes
/// the same rule. Asynchronous: fetched() or failed() follows each fetch(), never from inside it.
class LoginRequestFetcher : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginRequestFetcher)
public:
    static constexpr int kDefaultTimeoutMs = 10000;
    static constexpr int kMaxRedirects = 3;

    explicit LoginRequestFetcher(QObject* parent = nullptr, int timeoutMs = kDefaultTimeoutMs,
                                 qsizetype maxBytes = LoginRequest::kMaxBytes);
    ~LoginRequestFetcher() override;

    /// Ok when `url` may be fetched: a valid URL with a host and no user name or password, with
    /// scheme https, or http to localhost or a loopback address. Otherwise `bad_request_url`.
    static Result<QUrl> checkUrl(const QString& url);

    /// Starts fetching `url`, abandoning a fetch under way (which then reports nothing).
    void fetch(const QString& url);
    /// Abandons the fetch under way, if any; nothing is reported for it.
    void cancel();
    bool isFetching() const { return m_reply != nullptr; }
    int timeoutMs() const { return m_timeoutMs; }

Q_SIGNALS:
    void fetched(const uw::LoginRequest& request);
    /// `code`: bad_request_url, redirect_refused, too_large, timeout, http_status, unreachable or
    /// invalid_request; `reason` is a sentence for the person.
    void failed(const QString& code, const QString& reason);

private:
    void onMetaData();
    void onReadyRead();
    void onRedirected(const QUrl& url);
    void onFinished();
    void fail(const QString& code, const QString& reason);
    void stop();
    QString host() const;

    QNetworkAccessManager* m_nam;
    int m_timeoutMs;
    qsizetype m_maxBytes;
    QPointer<QNetworkReply> m_reply;
    QUrl m_url;
    QByteArray m_body;
    QTimer m_deadline{this}; // parented: follows its owner to another thread
};

} // namespace uw
