"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
function _export(target, all) {
    for(var name in all)Object.defineProperty(target, name, {
        enumerable: true,
        get: Object.getOwnPropertyDescriptor(all, name).get
    });
}
_export(exports, {
    get CsvLineParser () {
        return _csvlineparser.CsvLineParser;
    },
    get readCsvStream () {
        return _readcsv.readCsvStream;
    }
});
const _csvlineparser = require("./csv-line-parser");
const _readcsv = require("./read-csv");

//# sourceMappingURL=index.js.map