"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "CsvLineParser", {
    enumerable: true,
    get: function() {
        return CsvLineParser;
    }
});
const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
let CsvLineParser = class CsvLineParser {
    onRecord;
    onMalformed;
    pending;
    lineNumber = 0;
    atStart = true;
    constructor(onRecord, onMalformed){
        this.onRecord = onRecord;
        this.onMalformed = onMalformed;
    }
    /** Lines seen so far, blank ones included. */ get linesRead() {
        return this.lineNumber;
    }
    push(chunk) {
        let data = this.pending ? Buffer.concat([
            this.pending,
            chunk
        ]) : chunk;
        this.pending = undefined;
        if (this.atStart) {
            // Hold back a first chunk that could still be the start of a byte-order mark.
            if (data.length < 3 && isBomPrefix(data)) {
                this.pending = data;
                return;
            }
            if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
            this.atStart = false;
        }
        let position = 0;
        // Where the next quote is; recomputed only once we pass it, so files
        // without quotes are scanned for one once per chunk, not once per line.
        let nextQuote = data.indexOf(QUOTE, 0);
        for(;;){
            const newline = data.indexOf(LF, position);
            if (newline === -1) break;
            let lineEnd = newline;
            if (lineEnd > position && data[lineEnd - 1] === CR) lineEnd--;
            if (nextQuote !== -1 && nextQuote < position) nextQuote = data.indexOf(QUOTE, position);
            const quoted = nextQuote !== -1 && nextQuote < lineEnd;
            this.lineNumber++;
            this.emitLine(data, position, lineEnd, quoted);
            position = newline + 1;
        }
        if (position < data.length) this.pending = Buffer.from(data.subarray(position));
    }
    /** Flushes a last line that has no line end. */ end() {
        let rest = this.pending;
        this.pending = undefined;
        if (!rest || rest.length === 0) return;
        if (this.atStart) {
            // Whatever was held back for the BOM check is ordinary text after all.
            this.atStart = false;
            this.push(rest);
            rest = this.pending;
            this.pending = undefined;
            if (!rest || rest.length === 0) return;
        }
        let lineEnd = rest.length;
        if (lineEnd > 0 && rest[lineEnd - 1] === CR) lineEnd--;
        this.lineNumber++;
        this.emitLine(rest, 0, lineEnd, rest.indexOf(QUOTE) !== -1);
    }
    emitLine(data, start, end, quoted) {
        if (start === end) return;
        if (!quoted) {
            this.onRecord(splitPlain(data, start, end), this.lineNumber);
            return;
        }
        const fields = splitQuoted(data, start, end);
        if (fields) this.onRecord(fields, this.lineNumber);
        else this.onMalformed(this.lineNumber, data.toString('utf8', start, end));
    }
};
function isBomPrefix(data) {
    const bom = [
        0xef,
        0xbb,
        0xbf
    ];
    for(let i = 0; i < data.length; i++)if (data[i] !== bom[i]) return false;
    return true;
}
function splitPlain(data, start, end) {
    const fields = [];
    let fieldStart = start;
    for(;;){
        const comma = data.indexOf(COMMA, fieldStart);
        if (comma === -1 || comma >= end) {
            fields.push(data.toString('utf8', fieldStart, end));
            return fields;
        }
        fields.push(data.toString('utf8', fieldStart, comma));
        fieldStart = comma + 1;
    }
}
/** Returns undefined when the quotes of the line are malformed. */ function splitQuoted(data, start, end) {
    const fields = [];
    let i = start;
    for(;;){
        if (i < end && data[i] === QUOTE) {
            const parts = [];
            let segmentStart = i + 1;
            let j = segmentStart;
            for(;;){
                if (j >= end) return undefined; // the quote never closes on this line
                if (data[j] === QUOTE) {
                    if (j + 1 < end && data[j + 1] === QUOTE) {
                        parts.push(data.toString('utf8', segmentStart, j + 1));
                        j += 2;
                        segmentStart = j;
                        continue;
                    }
                    parts.push(data.toString('utf8', segmentStart, j));
                    break;
                }
                j++;
            }
            fields.push(parts.join(''));
            i = j + 1;
            if (i === end) return fields;
            if (data[i] !== COMMA) return undefined; // text after a closing quote
            i++;
            continue;
        }
        let j = i;
        while(j < end && data[j] !== COMMA){
            if (data[j] === QUOTE) return undefined; // a quote inside an unquoted field
            j++;
        }
        fields.push(data.toString('utf8', i, j));
        if (j === end) return fields;
        i = j + 1;
    }
}

//# sourceMappingURL=csv-line-parser.js.map