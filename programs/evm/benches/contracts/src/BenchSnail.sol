// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// A SnailTracer-style benchmark, written for isthmus-evm (revm's suite runs Peter Szilagyi's
/// SnailTracer, whose bytecode is revm's repository data; this is our own, smaller tracer in the
/// same style): a path tracer over a smallpt-like room of spheres, in fixed point (1e6 = 1.0)
/// with int256 vectors as memory structs, Newton square roots and Taylor-series sine and cosine.
/// It is heavy on MUL, SDIV, DIV, memory and internal calls. `render(w, h, spp)` renders a w x h
/// image with spp samples per pixel; `run` returns a checksum of its pixels.
contract BenchSnail {
    int256 private constant ONE = 1e6;
    int256 private constant PI = 3_141_593;
    /// Rays closer than this to their origin do not hit (self-intersection).
    int256 private constant EPS = 1e3;
    uint256 private constant MAX_DEPTH = 4;
    /// The light a path that ends without reaching the lamp is given.
    int256 private constant AMBIENT = 600_000;

    struct Vec3 {
        int256 x;
        int256 y;
        int256 z;
    }

    struct Ray {
        Vec3 origin;
        Vec3 dir;
    }

    struct Sphere {
        int256 radius;
        Vec3 pos;
        Vec3 emission;
        Vec3 color;
        bool mirror;
    }

    /// A linear congruential generator, shared by reference.
    struct Rng {
        uint256 state;
    }

    struct Camera {
        Vec3 pos;
        Vec3 dir;
        Vec3 cx;
        Vec3 cy;
        int256 w;
        int256 h;
    }

    /// The checksum of `render(w, h, spp)`.
    function run(uint256 w, uint256 h, uint256 spp) external pure returns (uint256 checksum) {
        uint256[] memory image = render(w, h, spp);
        unchecked {
            for (uint256 i = 0; i < image.length; i++) {
                checksum = checksum * 31 + image[i];
            }
        }
    }

    /// A w x h image, row by row from the top, each pixel 0xRRGGBB.
    function render(uint256 w, uint256 h, uint256 spp) public pure returns (uint256[] memory image) {
        image = new uint256[](w * h);
        Sphere[] memory scene = makeScene();
        Rng memory rng = Rng(0x5eed);
        Camera memory cam;
        cam.pos = Vec3(50 * ONE, 52 * ONE, 295 * ONE);
        cam.dir = norm(Vec3(0, -42_612, -ONE));
        cam.cx = Vec3(int256(w) * 513_500 / int256(h), 0, 0);
        cam.cy = scale(norm(cross(cam.cx, cam.dir)), 513_500);
        cam.w = int256(w);
        cam.h = int256(h);
        for (uint256 y = 0; y < h; y++) {
            for (uint256 x = 0; x < w; x++) {
                image[y * w + x] = pixel(scene, cam, rng, int256(x), int256(h - 1 - y), spp);
            }
        }
    }

    /// One pixel's colour, averaged over `spp` samples, as 0xRRGGBB.
    function pixel(Sphere[] memory scene, Camera memory cam, Rng memory rng, int256 x, int256 y, uint256 spp)
        private
        pure
        returns (uint256)
    {
        // Every vector of this pixel is garbage once its colour is summed: reuse the memory.
        uint256 free;
        assembly {
            free := mload(0x40)
        }
        Vec3 memory sum = Vec3(0, 0, 0);
        for (uint256 s = 0; s < spp; s++) {
            sum = add(sum, radiance(scene, cameraRay(cam, rng, x, y), 0, rng));
        }
        int256 n = int256(spp);
        uint256 rgb = (toByte(sum.x / n) << 16) | (toByte(sum.y / n) << 8) | toByte(sum.z / n);
        assembly {
            mstore(0x40, free)
        }
        return rgb;
    }

    /// A ray through a random point of pixel (x, y).
    function cameraRay(Camera memory cam, Rng memory rng, int256 x, int256 y) private pure returns (Ray memory) {
        int256 fx = (x * ONE + int256(rand(rng))) / cam.w - ONE / 2;
        int256 fy = (y * ONE + int256(rand(rng))) / cam.h - ONE / 2;
        Vec3 memory d = add(add(scale(cam.cx, fx), scale(cam.cy, fy)), cam.dir);
        return Ray(add(cam.pos, scale(d, 140 * ONE)), norm(d));
    }

    function makeScene() private pure returns (Sphere[] memory scene) {
        int256 big = 100_000 * ONE;
        Vec3 memory none = Vec3(0, 0, 0);
        Vec3 memory grey = Vec3(750_000, 750_000, 750_000);
        scene = new Sphere[](7);
        scene[0] = Sphere(big, Vec3(big + ONE, 40 * ONE, 81 * ONE), none, Vec3(750_000, 250_000, 250_000), false);
        scene[1] = Sphere(big, Vec3(99 * ONE - big, 40 * ONE, 81 * ONE), none, Vec3(250_000, 250_000, 750_000), false);
        scene[2] = Sphere(big, Vec3(50 * ONE, 40 * ONE, big), none, grey, false);
        scene[3] = Sphere(big, Vec3(50 * ONE, big, 81 * ONE), none, grey, false);
        scene[4] = Sphere(big, Vec3(50 * ONE, 82 * ONE - big, 81 * ONE), none, grey, false);
        scene[5] = Sphere(16 * ONE, Vec3(27 * ONE, 16 * ONE, 47 * ONE), none, Vec3(999_000, 999_000, 999_000), true);
        scene[6] = Sphere(600 * ONE, Vec3(50 * ONE, 681 * ONE + 330_000, 81 * ONE), Vec3(12 * ONE, 12 * ONE, 12 * ONE), none, false);
    }

    /// The colour a ray brings back: the nearest sphere's emission plus its colour times the
    /// light from one bounce (a mirror reflection or a random diffuse direction).
    function radiance(Sphere[] memory scene, Ray memory ray, uint256 depth, Rng memory rng)
        private
        pure
        returns (Vec3 memory)
    {
        (uint256 id, int256 t) = nearest(scene, ray);
        if (id == type(uint256).max) {
            return Vec3(0, 0, 0);
        }
        Sphere memory obj = scene[id];
        if (depth >= MAX_DEPTH) {
            // The path ends: the light it has not found is taken as an even ambient light.
            return add(obj.emission, scale(obj.color, AMBIENT));
        }
        Vec3 memory incoming = radiance(scene, bounce(obj, ray, t, rng), depth + 1, rng);
        return add(obj.emission, mulEach(obj.color, incoming));
    }

    /// The ray leaving `obj` where `ray` hits it at distance `t`.
    function bounce(Sphere memory obj, Ray memory ray, int256 t, Rng memory rng) private pure returns (Ray memory) {
        Vec3 memory hit = add(ray.origin, scale(ray.dir, t));
        Vec3 memory n = norm(sub(hit, obj.pos));
        if (obj.mirror) {
            return Ray(hit, sub(ray.dir, scale(n, 2 * dot(n, ray.dir))));
        }
        return Ray(hit, diffuse(dot(n, ray.dir) < 0 ? n : scale(n, -ONE), rng));
    }

    /// A random direction around the normal `nl` (cosine-weighted, as smallpt).
    function diffuse(Vec3 memory nl, Rng memory rng) private pure returns (Vec3 memory) {
        int256 r1 = 2 * PI * int256(rand(rng)) / ONE;
        int256 r2 = int256(rand(rng));
        int256 r2s = int256(sqrt(uint256(r2 * ONE)));
        Vec3 memory u = norm(cross(abs(nl.x) > 100_000 ? Vec3(0, ONE, 0) : Vec3(ONE, 0, 0), nl));
        Vec3 memory v = cross(nl, u);
        // sin and cos of r1 in [0, 2 pi), from the series around zero of r1 - pi.
        int256 sinR1 = -sin(r1 - PI);
        int256 cosR1 = -cos(r1 - PI);
        return norm(
            add(
                add(scale(u, cosR1 * r2s / ONE), scale(v, sinR1 * r2s / ONE)),
                scale(nl, int256(sqrt(uint256((ONE - r2) * ONE))))
            )
        );
    }

    /// The nearest sphere a ray hits (`type(uint256).max` for none) and its distance.
    function nearest(Sphere[] memory scene, Ray memory ray) private pure returns (uint256 id, int256 best) {
        id = type(uint256).max;
        for (uint256 i = 0; i < scene.length; i++) {
            int256 t = intersect(scene[i], ray);
            if (t > 0 && (id == type(uint256).max || t < best)) {
                best = t;
                id = i;
            }
        }
    }

    /// The distance along `ray` to `s`, zero on a miss.
    function intersect(Sphere memory s, Ray memory ray) private pure returns (int256) {
        Vec3 memory op = sub(s.pos, ray.origin);
        int256 b = dot(op, ray.dir);
        int256 det = b * b / ONE - dot(op, op) + s.radius * s.radius / ONE;
        if (det < 0) {
            return 0;
        }
        det = int256(sqrt(uint256(det) * uint256(ONE)));
        if (b - det > EPS) {
            return b - det;
        }
        if (b + det > EPS) {
            return b + det;
        }
        return 0;
    }

    function rand(Rng memory rng) private pure returns (uint256) {
        rng.state = (rng.state * 1_103_515_245 + 12_345) % 2 ** 31;
        return rng.state % uint256(ONE);
    }

    /// Integer square root: Newton's (Babylonian) steps, DIV-heavy as in the original, from a
    /// first guess above the root taken from the bit length (the steps then only go down).
    function sqrt(uint256 x) private pure returns (uint256 y) {
        if (x == 0) {
            return 0;
        }
        uint256 r = x;
        uint256 z = 1;
        if (r >= 2 ** 128) {
            r >>= 128;
            z <<= 64;
        }
        if (r >= 2 ** 64) {
            r >>= 64;
            z <<= 32;
        }
        if (r >= 2 ** 32) {
            r >>= 32;
            z <<= 16;
        }
        if (r >= 2 ** 16) {
            r >>= 16;
            z <<= 8;
        }
        if (r >= 2 ** 8) {
            r >>= 8;
            z <<= 4;
        }
        if (r >= 2 ** 4) {
            r >>= 4;
            z <<= 2;
        }
        if (r >= 2 ** 2) {
            z <<= 1;
        }
        y = z << 1;
        z = (x / y + y) / 2;
        while (z < y) {
            y = z;
            z = (x / z + z) / 2;
        }
    }

    /// sin(x) for |x| <= pi, fixed point, by its Taylor series.
    function sin(int256 x) private pure returns (int256 s) {
        int256 x2 = x * x / ONE;
        int256 term = x;
        s = x;
        for (int256 i = 2; i < 14; i += 2) {
            term = -term * x2 / ONE / (i * (i + 1));
            s += term;
        }
    }

    /// cos(x) for |x| <= pi, fixed point, by its Taylor series.
    function cos(int256 x) private pure returns (int256 c) {
        int256 x2 = x * x / ONE;
        int256 term = ONE;
        c = ONE;
        for (int256 i = 1; i < 14; i += 2) {
            term = -term * x2 / ONE / (i * (i + 1));
            c += term;
        }
    }

    function abs(int256 x) private pure returns (int256) {
        return x < 0 ? -x : x;
    }

    function add(Vec3 memory a, Vec3 memory b) private pure returns (Vec3 memory) {
        return Vec3(a.x + b.x, a.y + b.y, a.z + b.z);
    }

    function sub(Vec3 memory a, Vec3 memory b) private pure returns (Vec3 memory) {
        return Vec3(a.x - b.x, a.y - b.y, a.z - b.z);
    }

    function scale(Vec3 memory a, int256 s) private pure returns (Vec3 memory) {
        return Vec3(a.x * s / ONE, a.y * s / ONE, a.z * s / ONE);
    }

    function mulEach(Vec3 memory a, Vec3 memory b) private pure returns (Vec3 memory) {
        return Vec3(a.x * b.x / ONE, a.y * b.y / ONE, a.z * b.z / ONE);
    }

    function dot(Vec3 memory a, Vec3 memory b) private pure returns (int256) {
        return (a.x * b.x + a.y * b.y + a.z * b.z) / ONE;
    }

    function cross(Vec3 memory a, Vec3 memory b) private pure returns (Vec3 memory) {
        return Vec3(
            (a.y * b.z - a.z * b.y) / ONE, (a.z * b.x - a.x * b.z) / ONE, (a.x * b.y - a.y * b.x) / ONE
        );
    }

    function norm(Vec3 memory a) private pure returns (Vec3 memory) {
        int256 length = int256(sqrt(uint256(a.x * a.x + a.y * a.y + a.z * a.z)));
        return Vec3(a.x * ONE / length, a.y * ONE / length, a.z * ONE / length);
    }

    /// A colour channel (fixed point, clamped to [0, 1]) as a byte.
    function toByte(int256 c) private pure returns (uint256) {
        if (c < 0) {
            return 0;
        }
        if (c > ONE) {
            return 255;
        }
        return uint256(c * 255 / ONE);
    }
}
