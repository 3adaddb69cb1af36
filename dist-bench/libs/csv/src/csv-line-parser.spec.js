"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
const _csvlineparser = require("./csv-line-parser");
/** Feeds `chunks` through a parser and returns what it reported, in order. */ function parse(...chunks) {
    const events = [];
    const parser = new _csvlineparser.CsvLineParser((fields, line)=>events.push([
            'record',
            line,
            fields
        ]), (line, text)=>events.push([
            'malformed',
            line,
            text
        ]));
    for (const chunk of chunks)parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    parser.end();
    return events;
}
const BOM = Buffer.from([
    0xef,
    0xbb,
    0xbf
]);
describe('CsvLineParser', ()=>{
    it('splits LF-terminated lines into fields, numbering lines from the header', ()=>{
        expect(parse('advertiser_id,product_id\nA1,p1\nA2,p2\n')).toEqual([
            [
                'record',
                1,
                [
                    'advertiser_id',
                    'product_id'
                ]
            ],
            [
                'record',
                2,
                [
                    'A1',
                    'p1'
                ]
            ],
            [
                'record',
                3,
                [
                    'A2',
                    'p2'
                ]
            ]
        ]);
    });
    it('drops the CR of CRLF line ends', ()=>{
        expect(parse('a,b\r\n1,2\r\n')).toEqual([
            [
                'record',
                1,
                [
                    'a',
                    'b'
                ]
            ],
            [
                'record',
                2,
                [
                    '1',
                    '2'
                ]
            ]
        ]);
    });
    it('strips a byte-order mark from the first header field', ()=>{
        expect(parse(Buffer.concat([
            BOM,
            Buffer.from('advertiser_id\nA1\n')
        ]))).toEqual([
            [
                'record',
                1,
                [
                    'advertiser_id'
                ]
            ],
            [
                'record',
                2,
                [
                    'A1'
                ]
            ]
        ]);
    });
    it('keeps commas inside quoted fields and undoubles doubled quotes', ()=>{
        expect(parse('"a,b",c\n"say ""hi""",""\nx,"y"\n')).toEqual([
            [
                'record',
                1,
                [
                    'a,b',
                    'c'
                ]
            ],
            [
                'record',
                2,
                [
                    'say "hi"',
                    ''
                ]
            ],
            [
                'record',
                3,
                [
                    'x',
                    'y'
                ]
            ]
        ]);
    });
    it('keeps empty fields, including a trailing one', ()=>{
        expect(parse('a,,\n"q",\n')).toEqual([
            [
                'record',
                1,
                [
                    'a',
                    '',
                    ''
                ]
            ],
            [
                'record',
                2,
                [
                    'q',
                    ''
                ]
            ]
        ]);
    });
    it('reports a line with an unbalanced quote as malformed and parses the next lines', ()=>{
        expect(parse('h\n"open,1\nA,2\n')).toEqual([
            [
                'record',
                1,
                [
                    'h'
                ]
            ],
            [
                'malformed',
                2,
                '"open,1'
            ],
            [
                'record',
                3,
                [
                    'A',
                    '2'
                ]
            ]
        ]);
    });
    it('reports text after a closing quote as malformed and parses the next lines', ()=>{
        expect(parse('h\r\n"ab"c,1\r\nA,2\r\n')).toEqual([
            [
                'record',
                1,
                [
                    'h'
                ]
            ],
            [
                'malformed',
                2,
                '"ab"c,1'
            ],
            [
                'record',
                3,
                [
                    'A',
                    '2'
                ]
            ]
        ]);
    });
    it('reports a quote inside an unquoted field as malformed', ()=>{
        expect(parse('ab"c,1\n')).toEqual([
            [
                'malformed',
                1,
                'ab"c,1'
            ]
        ]);
    });
    it('ignores blank lines but counts them in line numbers', ()=>{
        expect(parse('h\n\nA\r\n\r\nB\n')).toEqual([
            [
                'record',
                1,
                [
                    'h'
                ]
            ],
            [
                'record',
                3,
                [
                    'A'
                ]
            ],
            [
                'record',
                5,
                [
                    'B'
                ]
            ]
        ]);
    });
    it('reads a last line that has no line end', ()=>{
        expect(parse('h\nA,1')).toEqual([
            [
                'record',
                1,
                [
                    'h'
                ]
            ],
            [
                'record',
                2,
                [
                    'A',
                    '1'
                ]
            ]
        ]);
        expect(parse('h\n"A,1"')).toEqual([
            [
                'record',
                1,
                [
                    'h'
                ]
            ],
            [
                'record',
                2,
                [
                    'A,1'
                ]
            ]
        ]);
    });
    it('counts every line read, blank ones included', ()=>{
        const parser = new _csvlineparser.CsvLineParser(()=>undefined, ()=>undefined);
        parser.push(Buffer.from('h\n\nA\nB'));
        parser.end();
        expect(parser.linesRead).toBe(4);
    });
    it('gives the same output whatever byte offset a file is split at', ()=>{
        const file = Buffer.concat([
            BOM,
            Buffer.from('advertiser_id,product_id,date\r\nA1,"p,1",2022-01-01\n\n"bad,x\r\nA2,é☃,2022-01-02\n"a""b",c"d\nA3,p3,2022-01-03')
        ]);
        const whole = parse(file);
        expect(whole).toHaveLength(6);
        for(let offset = 0; offset <= file.length; offset++){
            expect([
                offset,
                parse(file.subarray(0, offset), file.subarray(offset))
            ]).toEqual([
                offset,
                whole
            ]);
        }
    });
    it('gives the same output when a file arrives one byte at a time', ()=>{
        const file = Buffer.concat([
            BOM,
            Buffer.from('h1,h2\r\n"x,""y""",z\r\nA,ü\n')
        ]);
        const bytes = Array.from(file, (byte)=>Buffer.from([
                byte
            ]));
        expect(parse(...bytes)).toEqual(parse(file));
    });
    it('strips a byte-order mark split across chunks', ()=>{
        const events = parse(BOM.subarray(0, 1), BOM.subarray(1, 2), Buffer.concat([
            BOM.subarray(2),
            Buffer.from('id\nA\n')
        ]));
        expect(events).toEqual([
            [
                'record',
                1,
                [
                    'id'
                ]
            ],
            [
                'record',
                2,
                [
                    'A'
                ]
            ]
        ]);
    });
    it('splits the lines of a file shorter than a byte-order mark', ()=>{
        expect(parse('a\n')).toEqual([
            [
                'record',
                1,
                [
                    'a'
                ]
            ]
        ]);
        expect(parse('\n')).toEqual([]);
    });
});

//# sourceMappingURL=csv-line-parser.spec.js.map