// Reads a JSON array of strings on stdin and prints, as a JSON array, new URL(s).href for each, or null where
// new URL(s) throws: the reading of a resource URI that a TypeScript-SDK upstream acts on.
'use strict';
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const results = JSON.parse(input).map(text => {
    try {
      return new URL(text).href;
    } catch {
      return null;
    }
  });
  process.stdout.write(JSON.stringify(results));
});
