#!/bin/sh
# The demo application: it only prints a greeting. bulkhead scans the image around it.
echo "hello from the bulkhead demo image"
