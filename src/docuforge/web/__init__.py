"""The Studio: a web interface served at /studio, plain JS and CSS modules that call the HTTP API."""
