package com.example.hello;

final class Greeting {
    private Greeting() {}

    static String text() {
        return "hello from java-plain-jar";
    }
}
