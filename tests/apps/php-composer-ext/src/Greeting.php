<?php

namespace App;

final class Greeting
{
    public static function text(): string
    {
        // intl and mbstring: the extensions composer.json requires.
        $fmt = new \NumberFormatter('en_US', \NumberFormatter::DECIMAL);
        return 'hello from php-composer-ext (' . $fmt->format(1234.5) . ', '
            . mb_strtoupper('ünïcode') . ')';
    }
}
