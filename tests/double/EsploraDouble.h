#pragma once

#include "double/CoreDouble.h"

#include <QTcpServer>

namespace uw::test {

/// An Esplora REST front end over the same test chain as a CoreDouble, with Esplora's routes
/// and shapes: POST /api/tx, /api/blocks/tip/{hash,height}, /api/block/:hash[/txs/:start],
/// /api/address/:address/utxo, /api/fee-estimates, /api/mempool.
class EsploraDouble : public QObject
{
    Q_OBJECT
public:
    explicit EsploraDouble(CoreDouble* node, QObject* parent = nullptr);
    bool listen();
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/").arg(m_server.serverPort()); }

private:
    std::pair<int, QByteArray> handle(const QByteArray& method, const QString& path, const QByteArray& body);
    CoreDouble* m_node;
    QTcpServer m_server;
};

} // namespace uw::test
