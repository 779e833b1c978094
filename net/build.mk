# The network module: lwIP (fetched by lib/lwip/fetch.sh, compiled here
# with the kernel's flags and net/include/lwipopts.h) and its glue.
ifeq ($(CONFIG_NET),y)
LWIP := build/deps/lwip
lwip-core := init.c def.c inet_chksum.c ip.c mem.c memp.c netif.c pbuf.c raw.c stats.c sys.c \
	tcp.c tcp_in.c tcp_out.c timeouts.c udp.c \
	ipv4/etharp.c ipv4/icmp.c ipv4/ip4.c ipv4/ip4_addr.c ipv4/ip4_frag.c ipv4/dhcp.c \
	ipv6/ethip6.c ipv6/icmp6.c ipv6/inet6.c ipv6/ip6.c ipv6/ip6_addr.c ipv6/ip6_frag.c \
	ipv6/mld6.c ipv6/nd6.c
lwip-api := api_lib.c api_msg.c err.c netbuf.c sockets.c tcpip.c
lwip-srcs := $(addprefix $(LWIP)/src/core/,$(lwip-core)) $(addprefix $(LWIP)/src/api/,$(lwip-api)) \
	$(LWIP)/src/netif/ethernet.c

srcs-y += net/sys_arch.c net/netif.c net/net_init.c net/socket.c $(lwip-srcs)
srcs-$(CONFIG_SHELL) += net/cmd_net.c

module-cflags += -Inet/include -I$(LWIP)/src/include
# lwIP's code is not ours: build it as it is, without the style warnings
# we hold our own code to, but stop at anything that means a wrong build
# (a function or macro our headers failed to provide).
lwip-cflags := -Wno-error -Wno-unused-parameter -Wno-sign-compare -Wno-address \
	-Wno-missing-prototypes -Wno-cast-qual \
	-Wno-missing-field-initializers -Wno-type-limits -Wno-unused-but-set-variable \
	-Werror=implicit-function-declaration -Werror=int-conversion \
	-Werror=incompatible-pointer-types
$(foreach f,$(lwip-srcs),$(eval cflags-$(f) += $(lwip-cflags)))

# A changed patch fetches lwIP again (fetch.sh), and every file that uses it
# is compiled again.
$(lwip-srcs): | $(LWIP)/.stamp
$(patsubst %,$(BUILD)/obj/%.o,$(lwip-srcs) $(filter net/%,$(srcs-y))): $(LWIP)/.stamp
$(LWIP)/.stamp: lib/lwip/fetch.sh $(wildcard lib/lwip/patches/*.patch)
	$(Q)lib/lwip/fetch.sh
endif
