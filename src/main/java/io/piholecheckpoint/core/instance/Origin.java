package io.piholecheckpoint.core.instance;

/** Where an instance is defined: by {@code PIHOLE_<PREFIX>_*} variables, or in the UI. */
public enum Origin { ENV, UI }
