-- SQLite fixture for the integration tests; build with: sqlite3 DB < types.sql
CREATE TABLE items (id INTEGER PRIMARY KEY, i64 INTEGER, f REAL, s TEXT, blob BLOB);
INSERT INTO items VALUES (1, 9223372036854775807, 1.5, 'plain', X'00FF10');
INSERT INTO items VALUES (2, -9223372036854775808, -0.1, '', X'');
INSERT INTO items VALUES (3, NULL, NULL, NULL, NULL);
INSERT INTO items VALUES (4, 0, 0.30000000000000004, 'Say "hello", world', X'DEADBEEF');
INSERT INTO items VALUES (5, 42, 1e300, 'line1' || char(10) || 'line2', NULL);
INSERT INTO items VALUES (6, -1, -2.5e-7, 'crlf1' || char(13, 10) || 'crlf2', NULL);
INSERT INTO items VALUES (7, 1000000, 123456789.125, 'café é', NULL);
INSERT INTO items VALUES (8, -42, -3.0, '中文', NULL);
INSERT INTO items VALUES (9, 7, 2.0, 'emoji 😀🚀', NULL);
