package com.doordash.pedregal.pretzel;

/** How a command prints its answer: for people ({@code text}) or the server's JSON, one document a line ({@code json}). */
enum Output {
    text,
    json
}
