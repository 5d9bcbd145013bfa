// esbuild plugins for the Lambda bundles (serverless.yml, custom.esbuild.plugins).
//
// Some modules are imported by code the Lambda functions share with `npm start` but never run in a
// Lambda, and loading them would only add bytes and cold-start time:
//
// - `@slack/bolt`'s index requires every receiver at load time, and the functions use only
//   AwsLambdaReceiver. The HTTP, Express and Socket Mode receivers pull in express, raw-body (with
//   iconv-lite) and @slack/socket-mode (with undici): about 1.2 MB of minified code.
// - `yaml` reads the config file in `loadConfigFile` (src/config.ts). The functions read the JSON
//   form of that file instead, which `osls package` writes after validating the YAML
//   (deploy/serverless-variables.cjs, RESTORE_BOT_CONFIG in serverless.yml): about 110 KiB and
//   5 ms of the slack function's cold start.
//
// Those modules are replaced by a stub that loads fine and throws a clear error if anything ever
// calls into it. test/deploy/template.test.ts loads the packaged handler and serves a signed
// request through it, so a Bolt upgrade that starts to need one of them fails CI.
'use strict';

/** Module name -> why no Lambda function runs it (part of the error a call into the stub throws). */
const REASONS = {
  '@slack/socket-mode': 'the functions use Bolt’s AwsLambdaReceiver only',
  express: 'the functions use Bolt’s AwsLambdaReceiver only',
  'raw-body': 'the functions use Bolt’s AwsLambdaReceiver only',
  yaml:
    'the functions read the JSON config that `osls package` writes (RESTORE_BOT_CONFIG ending in .json), ' +
    'not the YAML file',
};
const STUBBED = Object.keys(REASONS);

const stubSource = (name) => `
const message = ${JSON.stringify(`${name} is not bundled in the Lambda package (deploy/esbuild-plugins.cjs): ${REASONS[name]}`)};
const fail = () => { throw new Error(message); };
const stub = new Proxy(function stub() {}, {
  get: (_target, key) => (key === '__esModule' || key === 'then' || typeof key === 'symbol' ? undefined : stub),
  apply: fail,
  construct: fail,
});
module.exports = stub;
`;

/** @type {import('esbuild').Plugin} */
const stubModulesLambdaNeverRuns = {
  name: 'stub-modules-lambda-never-runs',
  setup(build) {
    const filter = new RegExp(`^(${STUBBED.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lambda-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'lambda-stub' }, (args) => ({
      contents: stubSource(args.path),
      loader: 'js',
    }));
  },
};

module.exports = [stubModulesLambdaNeverRuns];
module.exports.STUBBED = STUBBED;
