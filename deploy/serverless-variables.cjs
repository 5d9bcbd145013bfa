// Variables that serverless.yml resolves from the bot's config file at package time, offline.
//
//   ${file(./deploy/serverless-variables.cjs):configFile}
//     The YAML config file (param `configFile`), checked to exist inside the service directory.
//   ${file(./deploy/serverless-variables.cjs):configJson}
//     The path of the config's JSON form, which this writes: the YAML is validated with the bot's
//     own zod schema (src/config.ts), so a bad file stops packaging with every problem listed by
//     path, and the valid config is written as JSON to .build/restore-bot.config.json. That file
//     is bundled into every function's zip and RESTORE_BOT_CONFIG points at it: the functions parse
//     it with JSON.parse and validate it again at cold start, and carry no YAML parser.
//   ${file(./deploy/serverless-variables.cjs):targetRoleArnsFromConfig}
//     The distinct `roleArn`s of the config's environments, comma-separated: the default for
//     param `targetRoleArns`, so the functions may assume exactly the roles the config names.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Where the JSON form of the config goes, relative to the service directory (git-ignored). */
const CONFIG_JSON = '.build/restore-bot.config.json';

/** src/config.ts, compiled on the fly by tsx: the very schema and messages the functions use. */
function botConfigModule() {
  const { require: requireTs } = require('tsx/cjs/api');
  return requireTs(path.join(__dirname, '..', 'src', 'config.ts'), __filename);
}

/** osls prints a rejected variable's `stack`; for an operator's mistake the message is enough. */
function fail(message) {
  const error = new Error(message);
  error.stack = message;
  return error;
}

async function resolveConfigFile(resolveVariable) {
  const configured = await resolveVariable('param:configFile');
  if (typeof configured !== 'string' || configured.trim() === '') {
    throw fail('param "configFile" must be a path relative to the service directory');
  }
  const serviceDir = process.cwd();
  const absolute = path.resolve(serviceDir, configured);
  const relative = path.relative(serviceDir, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw fail(`config file "${configured}" must be inside the service directory ${serviceDir}`);
  }
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
    throw fail(
      `config file "${configured}" does not exist. Copy restore-bot.config.example.yml to ` +
        `restore-bot.config.yml and edit it, or pass --param="configFile=PATH".`,
    );
  }
  return { absolute, relative: relative.split(path.sep).join('/') };
}

module.exports = {
  async configFile({ resolveVariable }) {
    return (await resolveConfigFile(resolveVariable)).relative;
  },

  async configJson({ resolveVariable }) {
    const { absolute, relative } = await resolveConfigFile(resolveVariable);
    const { ConfigError, loadConfigFile } = botConfigModule();
    let config;
    try {
      config = loadConfigFile(absolute);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw fail(
        `Invalid configuration in ${relative}:\n${error.problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    }
    const target = path.join(process.cwd(), CONFIG_JSON);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`);
    return CONFIG_JSON;
  },

  async targetRoleArnsFromConfig({ resolveVariable }) {
    const { absolute, relative } = await resolveConfigFile(resolveVariable);
    const config = YAML.parse(fs.readFileSync(absolute, 'utf8'));
    const environments = config && typeof config === 'object' ? config.environments : undefined;
    const arns = [
      ...new Set(
        Object.values(environments && typeof environments === 'object' ? environments : {}).map(
          (env) => env?.roleArn,
        ),
      ),
    ];
    const bad = arns.filter((arn) => typeof arn !== 'string' || !ROLE_ARN.test(arn));
    if (arns.length === 0 || bad.length > 0) {
      throw fail(
        `${relative}: every environment needs a roleArn (an IAM role ARN) to derive targetRoleArns; ` +
          'fix the file or pass --param="targetRoleArns=ARN[,ARN...]"',
      );
    }
    return arns.join(',');
  },
};
