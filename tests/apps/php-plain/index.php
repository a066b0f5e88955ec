<?php
// A plain PHP page: no Composer, no framework.
header('Content-Type: text/plain');
echo "hello from php-plain\n";
echo 'PHP ' . PHP_VERSION . "\n";
