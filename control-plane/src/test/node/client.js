// A proxyless gRPC client using @grpc/grpc-js-xds, driven line by line from GrpcJsXdsTest.
// Environment: GRPC_XDS_BOOTSTRAP_CONFIG (Meshplane's gRPC bootstrap), PROTO_PATH (simpleservice.proto).
// Argument: the target, e.g. xds:///user-service.mylearning.local
// Commands on stdin, one JSON object per line ("target" optional: another xds:/// target, with a client of its own):
//   {"calls": 100, "metadata": {"x-user-segment": "premium"}, "deadlineMs": 5000, "target": "xds:///other.local"}
// answered on stdout with one JSON line: {"counts": {"v1": 90, "v2": 10}, "errors": {"DEADLINE_EXCEEDED": 1}, "ms": 123}
'use strict';
const grpc = require('@grpc/grpc-js');
const xds = require('@grpc/grpc-js-xds');
const protoLoader = require('@grpc/proto-loader');
const readline = require('readline');

xds.register();
const definition = protoLoader.loadSync(process.env.PROTO_PATH, { keepCase: true });
const proto = grpc.loadPackageDefinition(definition).grpc.testing;
const clients = new Map();
function clientOf(target) {
  if (!clients.has(target)) {
    clients.set(target, new proto.SimpleService(target, grpc.credentials.createInsecure()));
  }
  return clients.get(target);
}
const codeNames = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name]));

function unary(client, metadata, deadlineMs) {
  return new Promise((resolve) => {
    const md = new grpc.Metadata();
    for (const [key, value] of Object.entries(metadata || {})) {
      md.set(key, value);
    }
    client.UnaryRpc({ requestMessage: 'hi' }, md, { deadline: Date.now() + deadlineMs }, (error, response) => {
      resolve(error ? { error: codeNames[error.code] || String(error.code) } : { name: response.responseMessage });
    });
  });
}

async function run(command) {
  const started = Date.now();
  const counts = {};
  const errors = {};
  const client = clientOf(command.target || process.argv[2]);
  for (let i = 0; i < command.calls; i++) {
    const result = await unary(client, command.metadata, command.deadlineMs || 5000);
    if (result.error) {
      errors[result.error] = (errors[result.error] || 0) + 1;
    } else {
      counts[result.name] = (counts[result.name] || 0) + 1;
    }
  }
  return { counts, errors, ms: Date.now() - started };
}

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  if (line.trim() === 'quit') {
    // GrpcJsXdsTest is done with this client: end the process (the xDS stream would keep Node alive)
    clients.forEach((client) => client.close());
    process.exit(0);
  }
  queue = queue.then(async () => {
    const result = await run(JSON.parse(line));
    process.stdout.write(JSON.stringify(result) + '\n');
  });
});
// the Java test closed our stdin (it finished or died): do not linger as an orphan process
lines.on('close', () => process.exit(0));
