//! The course's bit operations (位运算), which build poll and epoll event masks: `&`, `|`,
//! `^`, `<<`, `>>` on 14 and 19 as the course does, then masks combined with `|` and
//! tested with `&`. The course prints `14 & 19` as 200 and `14 | 19` as 3111: misprints of
//! 2 and 31 (binary 00010 and 11111), recorded as errata in the claims catalogue.
//!
//! Output, one line each: `14 & 19 = 2`, `14 | 19 = 31`, `14 ^ 19 = 29`, `14 << 2 = 56`,
//! `14 >> 2 = 3`, `POLLIN | POLLERR = 9`, `EPOLLIN | EPOLLET = 2147483649`,
//! `9 & POLLIN = 1`, `9 & POLLOUT = 0`.
//!
//! Claims: `bits.ops`, `poll.api`.

pub fn main(_argv: &[String]) -> i32 {
    let (a, b) = (14u32, 19u32);
    let (pollin, pollout, pollerr) = (
        libc::POLLIN as u32,
        libc::POLLOUT as u32,
        libc::POLLERR as u32,
    );
    let (epollin, epollet) = (libc::EPOLLIN as u32, libc::EPOLLET as u32);
    let mask = pollin | pollerr;
    for line in [
        format!("{a} & {b} = {}", a & b),
        format!("{a} | {b} = {}", a | b),
        format!("{a} ^ {b} = {}", a ^ b),
        format!("{a} << 2 = {}", a << 2),
        format!("{a} >> 2 = {}", a >> 2),
        format!("POLLIN | POLLERR = {mask}"),
        format!("EPOLLIN | EPOLLET = {}", epollin | epollet),
        format!("{mask} & POLLIN = {}", mask & pollin),
        format!("{mask} & POLLOUT = {}", mask & pollout),
    ] {
        println!("{line}");
    }
    0
}
