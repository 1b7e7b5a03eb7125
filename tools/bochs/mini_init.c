/* PID 1 of the bochs guest used by tools/bochs/run_in_bochs.sh.
 *
 * The initramfs holds only this program (/init), the static test binary
 * (/test) and its arguments (/args, one per line). /init mounts /dev, /proc
 * and /sys, runs /test on the console (ttyS0), prints
 *
 *     CONVKIT-BEGIN
 *     ... whatever /test prints ...
 *     CONVKIT-EXIT <code>
 *
 * and powers the machine off. <code> is the exit status of /test, or
 * 128 + signal number when it was killed (as a shell reports it).
 * Built static by tools/bochs/setup.sh. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_ARGS 1024

static void mount_fs(const char *type, const char *dir) {
    mkdir(dir, 0755);
    if (mount(type, dir, type, 0, NULL) != 0 && errno != EBUSY)
        fprintf(stderr, "init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

/* The initramfs has no /dev/console (building one needs mknod, i.e. root),
 * so the kernel starts us without fds 0-2: open the console ourselves. */
static void open_console(void) {
    mount_fs("devtmpfs", "/dev");
    int fd = open("/dev/console", O_RDWR);
    if (fd < 0)
        return; /* nowhere to report it; the harness sees no marker */
    for (int i = 0; i < 3; i++)
        if (fd != i)
            dup2(fd, i);
    if (fd > 2)
        close(fd);
}

/* argv = {"/test", lines of /args...}; empty lines are empty arguments. */
static char **read_args(void) {
    static char buf[64 * 1024];
    static char *argv[MAX_ARGS + 2] = {"/test"};
    int argc = 1;
    FILE *f = fopen("/args", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    for (char *s = buf; *s && argc <= MAX_ARGS;) {
        char *nl = strchr(s, '\n');
        argv[argc++] = s;
        if (!nl)
            break;
        *nl = '\0';
        s = nl + 1;
    }
    argv[argc] = NULL;
    return argv;
}

int main(void) {
    open_console();
    mount_fs("proc", "/proc");
    mount_fs("sysfs", "/sys"); /* glibc's sysconf(_SC_NPROCESSORS_*) reads /sys */
    mkdir("/tmp", 01777);

    char **argv = read_args();
    char *envp[] = {"HOME=/", "PATH=/", "TMPDIR=/tmp", "TERM=dumb", NULL};

    printf("CONVKIT-BEGIN\n");
    fflush(stdout);
    int code;
    pid_t pid = fork();
    if (pid == 0) {
        execve("/test", argv, envp);
        perror("init: execve /test");
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        perror("init: fork/waitpid");
        code = 125;
    } else {
        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    printf("CONVKIT-EXIT %d\n", code);
    fflush(stdout);
    tcdrain(STDOUT_FILENO); /* let the UART drain before power-off */
    sync();
    reboot(RB_POWER_OFF);
    for (;;)
        pause(); /* PID 1 must not exit: that panics the kernel */
}
