// Variables that serverless.yml resolves from the bot's config file at package time, offline.
//
//   ${file(./deploy/serverless-variables.cjs):configFile}
//     The config file to bundle (param `configFile`), checked to exist inside the service
//     directory: package.patterns silently skips a missing file, which would only show up as a
//     crash at the first cold start.
//   ${file(./deploy/serverless-variables.cjs):targetRoleArnsFromConfig}
//     The distinct `roleArn`s of the config's environments, comma-separated: the default for
//     param `targetRoleArns`, so the functions may assume exactly the roles the config names.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

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
