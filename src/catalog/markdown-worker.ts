// Worker thread: parses the Markdown texts the main thread sends, one at a time, so that the
// main thread can give up on a text whose parse takes too long (see timedMarkdownParser).

import { parentPort } from 'node:worker_threads';
import { parseMarkdown } from './markdown.js';

parentPort!.on('message', (text: string) => {
  parentPort!.postMessage(parseMarkdown(text));
});
