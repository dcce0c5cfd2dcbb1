package dev.cxpm.core.lock;

/** Lower-case hex digits of a fixed length, checked by hand (see {@link LockedPlugin#isKeyId}). */
final class LowerHex {
    private LowerHex() {
    }

    static boolean is(String text, int length) {
        if (text == null || text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
