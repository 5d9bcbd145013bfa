// esbuild plugins for the Lambda bundles (serverless.yml, custom.esbuild.plugins).
//
// `@slack/bolt`'s index requires every receiver at load time, and the Lambda functions use only
// AwsLambdaReceiver. The HTTP, Express and Socket Mode receivers pull in express, raw-body (with
// iconv-lite) and @slack/socket-mode (with undici): about 1.2 MB of minified code that a Lambda
// never runs. Those modules are replaced by a stub that loads fine and throws a clear error if
// anything ever calls into it. test/deploy/bundle.test.ts loads the packaged handler and serves a
// signed request through it, so a Bolt upgrade that starts to need one of them fails CI.
'use strict';

const STUBBED = ['@slack/socket-mode', 'express', 'raw-body'];

const stubSource = (name) => `
const message = ${JSON.stringify(`${name} is not bundled in the Lambda package (deploy/esbuild-plugins.cjs)`)};
const fail = () => { throw new Error(message); };
const stub = new Proxy(function stub() {}, {
  get: (_target, key) => (key === '__esModule' || key === 'then' || typeof key === 'symbol' ? undefined : stub),
  apply: fail,
  construct: fail,
});
module.exports = stub;
`;

/** @type {import('esbuild').Plugin} */
const stubUnusedBoltReceivers = {
  name: 'stub-unused-bolt-receivers',
  setup(build) {
    const filter = new RegExp(`^(${STUBBED.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'bolt-receiver-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'bolt-receiver-stub' }, (args) => ({
      contents: stubSource(args.path),
      loader: 'js',
    }));
  },
};

module.exports = [stubUnusedBoltReceivers];
module.exports.STUBBED = STUBBED;
