#include "net/HttpMessage.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLocale>

namespace uw::net {

QByteArray HttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto& [name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

HttpResponse HttpResponse::json(int status, const QJsonObject& body)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact) + '\n';
    return r;
}

HttpResponse HttpResponse::error(int status, const QString& code, const QString& message)
{
    return json(status, {{QStringLiteral("error"),
                          QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}}}});
}

QByteArray HttpResponse::reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 417:
        return "Expectation Failed";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Status";
    }
}

QByteArray HttpResponse::serialize(bool keepAlive) const
{
    // RFC 9110 §6.6.1: an origin server with a clock sends Date, in IMF-fixdate.
    static const QLocale c = QLocale::c();
    const QByteArray date =
        c.toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
    QByteArray out;
    out.reserve(body.size() + 256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n";
    out += "Date: " + date + "\r\n";
    if (!body.isEmpty() || status >= 200)
        out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += keepAlive && !close ? QByteArrayLiteral("Connection: keep-alive\r\n")
                               : QByteArrayLiteral("Connection: close\r\n");
    out += "Cache-Control: no-store\r\n";
    for (const auto& [name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

} // namespace uw::net
