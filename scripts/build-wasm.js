// Part of `npm run build`: compiles each WebAssembly text file of src/ (model/gradient.wat) to a
// binary beside the compiled JavaScript in dist/, where the code loads it. wabt (the WebAssembly
// Binary Toolkit compiled to JavaScript, by the AssemblyScript project) is a build-time dependency only.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const sources = ['model/gradient.wat'];
/** SIMD and shared memory (the fit's helper thread reads the same memory): both in Node 20. */
const features = { simd: true, threads: true };

require('wabt')().then((wabt) => {
  for (const source of sources) {
    const file = path.join(root, 'src', source);
    const parsed = wabt.parseWat(file, fs.readFileSync(file, 'utf8'), features);
    try {
      parsed.validate(features);
      const out = path.join(root, 'dist', source.replace(/\.wat$/, '.wasm'));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, Buffer.from(parsed.toBinary({}).buffer));
    } finally {
      parsed.destroy();
    }
  }
}).catch((error) => {
  console.error(`build-wasm: ${error.message}`);
  process.exit(1);
});
