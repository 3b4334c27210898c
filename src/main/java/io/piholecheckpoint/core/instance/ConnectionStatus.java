package io.piholecheckpoint.core.instance;

/** What the last contact with a Pi-hole showed. */
public enum ConnectionStatus {
  UNKNOWN, OK, AUTH_ERROR, UNREACHABLE, TLS_ERROR, ERROR
}
