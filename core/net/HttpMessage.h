#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <utility>

namespace uw::net {

/// One request as the server parsed it: the method and target exactly as sent, header names in
/// lower case (values with surrounding blanks removed), and the whole body.
struct HttpRequest
{
    QByteArray method;
    QByteArray target;    ///< origin form, as sent: "/v1/anchors?x=1"
    QByteArray path;      ///< the target up to '?'
    QByteArray query;     ///< after '?', without it
    int minorVersion = 1; ///< HTTP/1.0 or HTTP/1.1
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 contentLength = 0;
    bool keepAlive = true;
    QHostAddress peer;

    /// The value of a header field (name in lower case), or a null array when it is absent.
    QByteArray header(QByteArrayView lowerName) const;
};

/// One response. The server adds Content-Length, Connection and Date itself.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool close = false; ///< close the connection once it is sent

    HttpResponse& addHeader(QByteArray name, QByteArray value)
    {
        headers.emplaceBack(std::move(name), std::move(value));
        return *this;
    }

    /// A JSON body (compact, with a final line break).
    static HttpResponse json(int status, const QJsonObject& body);
    /// {"error":{"code":CODE,"message":MESSAGE}}, the form of every refusal.
    static HttpResponse error(int status, const QString& code, const QString& message);

    /// The status line's reason phrase ("Not Found").
    static QByteArray reason(int status);
    /// Status line, header fields and body, ready for the socket.
    QByteArray serialize(bool keepAlive) const;
};

} // namespace uw::net
