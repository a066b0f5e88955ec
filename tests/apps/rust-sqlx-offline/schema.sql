CREATE TABLE greeting (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL
);
