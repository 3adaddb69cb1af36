/**
 * One status line that redraws itself on a terminal and prints a line at
 * most every few seconds otherwise (CI logs, files), so long commands always
 * show they are alive.
 */ "use strict";
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
    get ProgressLine () {
        return ProgressLine;
    },
    get bar () {
        return bar;
    }
});
let ProgressLine = class ProgressLine {
    out;
    intervalMs;
    lastPrinted = 0;
    lastText = '';
    constructor(out = process.stderr, intervalMs = 3000){
        this.out = out;
        this.intervalMs = intervalMs;
    }
    update(text) {
        if (this.out.isTTY) {
            this.out.write(`\r\x1b[2K${text}`);
        } else if (text !== this.lastText && Date.now() - this.lastPrinted >= this.intervalMs) {
            this.out.write(text + '\n');
            this.lastPrinted = Date.now();
        }
        this.lastText = text;
    }
    done(text) {
        this.out.write(this.out.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
    }
};
function bar(done, total, width = 24) {
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(share * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%`;
}

//# sourceMappingURL=progress.js.map