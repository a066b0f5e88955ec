<?php
// The front controller: Composer's autoloader finds App\Greeting in src/.
require __DIR__ . '/../vendor/autoload.php';

header('Content-Type: text/plain');
echo App\Greeting::text(), "\n";
