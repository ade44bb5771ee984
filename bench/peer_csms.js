// The reference CSMS of benchmark 4: the npm package ocpp-rpc's server in strict mode (every
// frame validated against the official OCPP 1.6 and 2.0.1 schemas), minimal handlers that
// answer at once, nothing stored. It stands for what a small CSMS built on that library costs
// per message; Gridlane is measured against it with the same load in the same run.
//   node bench/peer_csms.js PORT        (listens on 127.0.0.1; prints "listening on HOST:PORT")
'use strict';
const path = require('path');
const { RPCServer } = require(path.join(__dirname, '../tests/integration/node_modules/ocpp-rpc'));

const port = Number(process.argv[2] || 0);
const server = new RPCServer({ protocols: ['ocpp2.0.1', 'ocpp1.6'], strictMode: true });
const now = () => new Date().toISOString();
let nextTransaction = 1;

server.on('client', (client) => {
  const v16 = client.protocol === 'ocpp1.6';
  const accepted = { status: 'Accepted' };
  client.handle('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
  client.handle('Heartbeat', () => ({ currentTime: now() }));
  client.handle('StatusNotification', () => ({}));
  client.handle('MeterValues', () => ({}));
  client.handle('Authorize', () => (v16 ? { idTagInfo: accepted } : { idTokenInfo: accepted }));
  if (v16) {
    client.handle('StartTransaction', () => ({ transactionId: nextTransaction++, idTagInfo: accepted }));
    client.handle('StopTransaction', () => ({ idTagInfo: accepted }));
  } else {
    client.handle('TransactionEvent', ({ params }) => (params.idToken ? { idTokenInfo: accepted } : {}));
  }
  client.handle(({ method }) => {
    throw Object.assign(new Error(`${method} is not handled`), { rpcErrorCode: 'NotImplemented' });
  });
});

server.listen(port, '127.0.0.1').then((httpServer) => {
  console.log(`listening on 127.0.0.1:${httpServer.address().port}`);
});
process.on('SIGTERM', () => server.close({ force: true }).then(() => process.exit(0)));
