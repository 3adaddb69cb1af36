/**
 * What an advertiser id may look like at the API edge. The course's ids are 20
 * characters of A-Z0-9; other agencies use UUIDs or slugs, so the rule only
 * excludes what can never be an id: empty, over 128 characters, whitespace,
 * slashes and other punctuation that would not survive a URL path.
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
    get ADVERTISER_ID_PATTERN () {
        return ADVERTISER_ID_PATTERN;
    },
    get RUN_ID_PATTERN () {
        return RUN_ID_PATTERN;
    }
});
const ADVERTISER_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;
const RUN_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

//# sourceMappingURL=identifiers.js.map