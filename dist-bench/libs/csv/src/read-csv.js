"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "readCsvStream", {
    enumerable: true,
    get: function() {
        return readCsvStream;
    }
});
const _nodezlib = require("node:zlib");
const _csvlineparser = require("./csv-line-parser");
async function readCsvStream(source, options) {
    const parser = new _csvlineparser.CsvLineParser(options.onRecord, options.onMalformed);
    const input = options.gzip ? source.pipe((0, _nodezlib.createGunzip)()) : source;
    if (options.gzip) source.on('error', (error)=>input.destroy(error));
    for await (const chunk of input)parser.push(chunk);
    parser.end();
    return parser.linesRead;
}

//# sourceMappingURL=read-csv.js.map