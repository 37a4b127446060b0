// Builds the webpack fixture with webpack's own API: an entry, an output folder and a mode,
// nothing about WebAssembly. Exits 1 on a compilation error or warning other than webpack's
// size hints (the .wasm is over its 244 KiB recommendation).
const path = require('node:path');
const webpack = require('webpack');

const config = {
  mode: 'production',
  context: __dirname,
  entry: './src/index.js',
  output: { path: path.join(__dirname, 'dist'), clean: true },
};

webpack(config, (err, stats) => {
  if (err) throw err;
  const { errors, warnings } = stats.toJson({ all: false, errors: true, warnings: true });
  const unexpected = warnings.filter((w) => !/asset size limit|performance recommendations/.test(w.message));
  for (const m of [...errors, ...unexpected]) process.stderr.write(`${m.message}\n`);
  process.stdout.write(`${stats.toString({ all: false, assets: true })}\n`);
  process.exitCode = errors.length || unexpected.length ? 1 : 0;
});
