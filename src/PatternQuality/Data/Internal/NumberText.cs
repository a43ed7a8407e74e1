using System.Globalization;

namespace PatternQuality.Data.Internal;

/// <summary>
/// Parses a number cell exactly as <c>double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture)</c>
/// does, but takes a fast path for the plain decimals that fill most files (<c>-0.25</c>, <c>3</c>, <c>1.5e-3</c>).
/// </summary>
/// <remarks>
/// The fast path is Clinger's: a decimal with at most 19 digits whose digits, read as an integer <c>m</c>, satisfy
/// <c>m &lt;= 2^53</c>, times <c>10^e</c> with <c>|e| &lt;= 22</c>. Both <c>m</c> and <c>10^e</c> are then exact
/// doubles, so one IEEE multiplication or division rounds the exact value once, to nearest: the same correctly rounded
/// double <see cref="double.Parse(string)"/> returns. Anything else (more digits, a larger exponent, white space,
/// thousands separators, "NaN", "Infinity") goes to <see cref="double.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider, out double)"/>.
/// Loading parses tens of millions of cells; this makes parsing a small share of it instead of most of it.
/// </remarks>
internal static class NumberText
{
    private const ulong MaxExactMantissa = 1UL << 53;

    private static readonly double[] _powersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];

    /// <summary>Parses <paramref name="text"/> as <c>double.TryParse</c> with <see cref="NumberStyles.Float"/> and the invariant culture would.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
        => TryParseFast(text, out value) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The fast path alone: false when the text is not a plain decimal it can round exactly (the caller falls back).</summary>
    internal static bool TryParseFast(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        var n = s.Length;
        if (n == 0)
        {
            return false;
        }

        var i = 0;
        var negative = false;
        if (s[0] == '-')
        {
            negative = true;
            i = 1;
        }
        else if (s[0] == '+')
        {
            i = 1;
        }

        ulong mantissa = 0;
        var significant = 0;
        var scale = 0;
        var start = i;
        if (!TakeDigits(s, ref i, ref mantissa, ref significant))
        {
            return false;
        }

        var anyDigit = i > start;
        if (i < n && s[i] == '.')
        {
            start = ++i;
            if (!TakeDigits(s, ref i, ref mantissa, ref significant))
            {
                return false;
            }

            // Every fraction digit taken into the mantissa scales it down by ten.
            scale -= i - start;
            anyDigit |= i > start;
        }

        if (!anyDigit)
        {
            return false;
        }

        if (i < n && (s[i] | 0x20) == 'e')
        {
            i++;
            var exponentNegative = false;
            if (i < n && (s[i] == '-' || s[i] == '+'))
            {
                exponentNegative = s[i] == '-';
                i++;
            }

            var exponent = 0;
            var exponentDigits = 0;
            for (; i < n; i++)
            {
                var d = (uint)(s[i] - '0');
                if (d > 9)
                {
                    break;
                }

                // Past 22 the fast path gives up anyway; the bound only keeps the int from overflowing.
                exponent = Math.Min((exponent * 10) + (int)d, 100_000);
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }

            scale += exponentNegative ? -exponent : exponent;
        }

        if (i != n || mantissa > MaxExactMantissa)
        {
            return false;
        }

        double v = mantissa;
        if (mantissa != 0 && scale != 0)
        {
            if (scale > 0 && scale < _powersOf10.Length)
            {
                v *= _powersOf10[scale];
            }
            else if (scale < 0 && -scale < _powersOf10.Length)
            {
                v /= _powersOf10[-scale];
            }
            else
            {
                return false;
            }
        }

        value = negative ? -v : v;
        return true;
    }

    /// <summary>
    /// Appends the digits from <paramref name="i"/> on to <paramref name="mantissa"/> and stops at the first other
    /// character; false when the mantissa would need more than 19 significant digits (leading zeros do not count).
    /// </summary>
    private static bool TakeDigits(ReadOnlySpan<char> s, ref int i, ref ulong mantissa, ref int significant)
    {
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9)
            {
                return true;
            }

            if ((mantissa | d) != 0 && ++significant > 19)
            {
                return false;
            }

            mantissa = (mantissa * 10) + d;
        }

        return true;
    }
}
