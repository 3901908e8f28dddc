// Jest stand-in for src/streams/parseWorkerScript.ts (which uses import.meta): the built script.
const { pathToFileURL } = require('node:url');
const { join } = require('node:path');

exports.defaultParseWorkerScript = () => pathToFileURL(join(__dirname, '..', '..', 'dist', 'src', 'streams', 'parseWorker.js'));
